import { Arg, Ctx, Mutation, Query, Resolver } from "type-graphql";
import { OnboardingType } from "../../schema/onboarding/onboarding.type";
import { UUIDScalar } from "../../schema/_shared/scalars";
import type { Context } from "../_shared/context";

@Resolver(() => OnboardingType)
export class OnboardingResolver {
  @Query(() => OnboardingType, { description: "The member's onboarding checklist and eligibility." })
  onboarding(@Arg("userId", () => UUIDScalar) userId: string, @Ctx() ctx: Context) {
    return ctx.services.onboarding.get(userId);
  }

  @Mutation(() => OnboardingType, { description: "Mark a task completed (idempotent). Unknown task_id: not found." })
  completeOnboardingTask(@Arg("userId", () => UUIDScalar) userId: string, @Arg("taskId") taskId: string, @Ctx() ctx: Context) {
    return ctx.services.onboarding.complete(userId, taskId);
  }

  @Mutation(() => OnboardingType, { description: "Mark a task skipped; a completed task stays completed. Unknown task_id: not found." })
  skipOnboardingTask(@Arg("userId", () => UUIDScalar) userId: string, @Arg("taskId") taskId: string, @Ctx() ctx: Context) {
    return ctx.services.onboarding.skip(userId, taskId);
  }
}
