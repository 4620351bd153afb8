import { IsObject, MaxLength } from "class-validator";
import { ArgsType, Field, InputType, ObjectType } from "type-graphql";
import { makePaginationArgs, PageType } from "../_shared/pagination";
import { NotNullWhenPresent } from "../_shared/not-null";
import { DateTimeScalar, JSONScalar, LocalDateScalar, UUIDScalar } from "../_shared/scalars";
import { SortOrder } from "../_shared/sort-order";
import { TrimmedMaxLength, TrimmedMinLength } from "../partners/validators";
import { HealthActionSortBy, HealthActionSource, HealthActionStatus } from "./health-action.enum";

@ObjectType("HealthAction", { description: "A scheduled thing for the member to do: partner-authored, a coach nudge, or a program focus action." })
export class HealthActionType {
  @Field(() => UUIDScalar) healthActionId!: string;
  @Field() title!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => HealthActionStatus) status!: HealthActionStatus;
  @Field(() => DateTimeScalar) scheduledAt!: Date;
  @Field(() => JSONScalar, { description: "Free-form hints for carrying the action out (an object; `{}` when none)." })
  executionOptions!: Record<string, unknown>;
  @Field(() => HealthActionSource) source!: HealthActionSource;
  @Field(() => Boolean, { description: "A program focus action (an accepted recommendation)." }) isFocus!: boolean;
  @Field(() => String, { nullable: true, description: "Program category of a focus action (e.g. `activity`)." }) category?: string | null;
  @Field(() => DateTimeScalar, { nullable: true, description: "When it was completed (also for a late completion of a missed action)." })
  completedAt?: Date | null;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar) updatedAt!: Date;
}

@ObjectType("HealthActionPage")
export class HealthActionPageType extends PageType(HealthActionType) {}

@ArgsType()
export class HealthActionListArgs extends makePaginationArgs(25, 100) {
  @Field(() => HealthActionStatus, { nullable: true, description: "Only actions in this status." }) status?: HealthActionStatus | null;
  @Field(() => LocalDateScalar, { nullable: true, description: "First local date (member's zone) of `scheduledAt`, inclusive." })
  startDate?: string | null;
  @Field(() => LocalDateScalar, { nullable: true, description: "Last local date (member's zone) of `scheduledAt`, inclusive." })
  endDate?: string | null;
  @Field(() => HealthActionSortBy, { defaultValue: HealthActionSortBy.scheduled_at, description: "The instant to sort by; ties are broken by id." })
  sortBy: HealthActionSortBy = HealthActionSortBy.scheduled_at;
  @Field(() => SortOrder, { defaultValue: SortOrder.asc, description: "`asc` suits an upcoming feed." }) sortOrder: SortOrder = SortOrder.asc;
}

@InputType("CreateHealthActionInput")
export class CreateHealthActionInput {
  @Field(() => String, { description: "1–200 characters (trimmed)." })
  @TrimmedMinLength(1)
  @TrimmedMaxLength(200)
  title!: string;

  @Field(() => String, { nullable: true, description: "Up to 2,000 characters." })
  @MaxLength(2000)
  description?: string | null;

  @Field(() => DateTimeScalar, { description: "Between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z." }) scheduledAt!: Date;

  @Field(() => JSONScalar, { nullable: true, description: "Free-form object passed back unchanged." })
  @IsObject({ message: "must be an object" })
  executionOptions?: Record<string, unknown> | null;
}

@InputType("UpdateHealthActionInput", { description: "Partial update; omitted fields are unchanged. Only `description` may be null (clears it)." })
export class UpdateHealthActionInput {
  @Field(() => HealthActionStatus, { nullable: true, description: "See HealthActionStatus for the allowed changes." })
  @NotNullWhenPresent()
  status?: HealthActionStatus | null;

  @Field(() => DateTimeScalar, { nullable: true, description: "Between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z." })
  @NotNullWhenPresent()
  scheduledAt?: Date | null;

  @Field(() => String, { nullable: true, description: "1–200 characters (trimmed)." })
  @NotNullWhenPresent()
  @TrimmedMinLength(1)
  @TrimmedMaxLength(200)
  title?: string | null;

  @Field(() => String, { nullable: true, description: "Up to 2,000 characters; null clears it." })
  @MaxLength(2000)
  description?: string | null;
}
