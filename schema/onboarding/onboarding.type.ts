import { Field, Int, ObjectType, registerEnumType } from "type-graphql";

export enum OnboardingTaskStatusType {
  pending = "pending",
  completed = "completed",
  skipped = "skipped",
}

registerEnumType(OnboardingTaskStatusType, {
  name: "OnboardingTaskStatus",
  description: "`completed` also when the member has already done what the task asks (e.g. connected a device).",
});

@ObjectType("OnboardingTask")
export class OnboardingTaskViewType {
  @Field({ description: "Stable id from the task catalogue, e.g. connect_device." }) taskId!: string;
  @Field() title!: string;
  @Field(() => OnboardingTaskStatusType) status!: OnboardingTaskStatusType;
}

@ObjectType("Onboarding", { description: "A member's progressive onboarding checklist." })
export class OnboardingType {
  @Field({ description: "Progressive onboarding is on for every member of this deployment." }) progressiveOnboardingEnabled!: boolean;
  @Field({ description: "False only for members known to be under 18 on their local today (birthday set); they get no proactive nudges." })
  eligible!: boolean;
  @Field({ description: "True when no task is pending (every task completed or skipped)." }) isComplete!: boolean;
  @Field(() => Int) completedCount!: number;
  @Field(() => Int) totalCount!: number;
  @Field(() => [OnboardingTaskViewType]) tasks!: OnboardingTaskViewType[];
}
