import { IsEnum } from "class-validator";
import { Field, Float, InputType, Int, ObjectType } from "type-graphql";
import { DateTimeScalar, UUIDScalar } from "../_shared/scalars";
import { PriorityStatus } from "./program.enum";

@ObjectType("ProgramCategory", { description: "A category of the program catalog." })
export class ProgramCategoryType {
  @Field() id!: string;
  @Field() name!: string;
  @Field({ description: "The category key (e.g. `activity`); recommended and focus actions carry it as `category`." }) categoryId!: string;
  @Field() description!: string;
  @Field({ description: "Health domain: activity, sleep, stress, body, nutrition or vitals." }) domainId!: string;
}

@ObjectType("FocusCategory", { description: "One ranked focus area of a program." })
export class FocusCategoryType {
  @Field({ description: "Unique within the program; goals reference it as `categoryRef`." }) id!: string;
  @Field({ description: "Why this area, in the member's own numbers." }) rationale!: string;
  @Field(() => [String]) objectives!: string[];
  @Field(() => Int, { description: "1 = most important." }) rank!: number;
  @Field(() => ProgramCategoryType) programCategory!: ProgramCategoryType;
}

@ObjectType("GoalTarget")
export class GoalTargetType {
  @Field() id!: string;
  @Field() description!: string;
  @Field({ description: "daily, weekly or end_of_phase." }) frequency!: string;
  @Field(() => Float, { nullable: true }) value?: number | null;
  @Field(() => String, { nullable: true, description: "The measured quantity, e.g. steps, sleep_duration (hours), active_minutes, weight_kg." })
  vitalMetric?: string | null;
}

@ObjectType("ProgramPhase")
export class ProgramPhaseType {
  @Field() id!: string;
  @Field() name!: string;
  @Field() description!: string;
  @Field(() => Int) order!: number;
}

@ObjectType("Goal")
export class GoalType {
  @Field() goalId!: string;
  @Field({ description: "The `id` of the focus category this goal serves." }) categoryRef!: string;
  @Field() categoryId!: string;
  @Field() domainId!: string;
  @Field() description!: string;
  @Field(() => [GoalTargetType]) targets!: GoalTargetType[];
  @Field() phaseId!: string;
  @Field(() => ProgramPhaseType) phase!: ProgramPhaseType;
}

@ObjectType("RecommendedAction", { description: "A suggested focus action; accepting it schedules a health action." })
export class RecommendedActionType {
  @Field(() => UUIDScalar) recommendationId!: string;
  @Field() title!: string;
  @Field() description!: string;
  @Field({ description: "The program category id (e.g. `activity`)." }) category!: string;
  @Field({ description: "HH:mm in the member's zone: the accepted action is scheduled at its next occurrence." }) localTime!: string;
}

@ObjectType("Program", { description: "The member's coaching plan; at most one is active." })
export class ProgramType {
  @Field() programId!: string;
  @Field() name!: string;
  @Field() description!: string;
  @Field(() => String, { nullable: true }) analysisInsight?: string | null;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field() active!: boolean;
  @Field(() => [FocusCategoryType], { description: "Ranked." }) focusCategories!: FocusCategoryType[];
  @Field(() => [GoalType]) goals!: GoalType[];
}

@ObjectType("UserPriority", { description: "A ranked health priority." })
export class UserPriorityType {
  @Field(() => UUIDScalar) userPriorityId!: string;
  @Field() title!: string;
  @Field() description!: string;
  @Field(() => String, { nullable: true }) target?: string | null;
  @Field(() => [String], { description: "Health domains, e.g. activity, sleep, stress, body." }) domains!: string[];
  @Field(() => PriorityStatus) status!: PriorityStatus;
  @Field(() => Int, { description: "1 = most important." }) rank!: number;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar) updatedAt!: Date;
}

@ObjectType("AcceptedRecommendation")
export class AcceptedRecommendationType {
  @Field(() => UUIDScalar) recommendationId!: string;
  @Field(() => UUIDScalar, { description: "The new health action (GET /v1/users/{user_id}/health-actions/{focus_action_id})." }) focusActionId!: string;
  @Field(() => DateTimeScalar) acceptedAt!: Date;
}

@InputType("UpdatePriorityInput")
export class UpdatePriorityInput {
  @Field(() => PriorityStatus, { description: "active → dismissed | completed; dismissed | completed → active (undo). `outdated` is set only by a new program." })
  @IsEnum(PriorityStatus)
  status!: PriorityStatus;
}
