import { Arg, Args, Ctx, Mutation, Query, Resolver } from "type-graphql";
import { UUIDScalar } from "../../schema/_shared/scalars";
import {
  CreateHealthActionInput,
  HealthActionListArgs,
  HealthActionPageType,
  HealthActionType,
  UpdateHealthActionInput,
} from "../../schema/health-actions/health-action.type";
import type { Context } from "../_shared/context";

@Resolver(() => HealthActionType)
export class HealthActionsResolver {
  @Query(() => HealthActionPageType, {
    description:
      "The member's health actions, filtered by status and by local dates of `scheduledAt` (member's zone); sorted by `sortBy` (default scheduled_at, ascending).",
  })
  healthActions(@Arg("userId", () => UUIDScalar) userId: string, @Args(() => HealthActionListArgs) args: HealthActionListArgs, @Ctx() ctx: Context) {
    return ctx.services.healthActions.list(userId, args);
  }

  @Query(() => HealthActionType, { description: "One health action; another member's is not_found." })
  healthAction(@Arg("userId", () => UUIDScalar) userId: string, @Arg("healthActionId", () => UUIDScalar) healthActionId: string, @Ctx() ctx: Context) {
    return ctx.services.healthActions.get(userId, healthActionId);
  }

  @Mutation(() => HealthActionType, { description: "Create a partner-authored action (status pending, source partner)." })
  createHealthAction(@Arg("userId", () => UUIDScalar) userId: string, @Arg("input", () => CreateHealthActionInput) input: CreateHealthActionInput, @Ctx() ctx: Context) {
    return ctx.services.healthActions.create(userId, input);
  }

  @Mutation(() => HealthActionType, {
    description:
      "Partial update. Status changes: pending → completed | skipped | missed | cancelled, missed → completed; the same status is a no-op; anything else is invalid_transition.",
  })
  updateHealthAction(
    @Arg("userId", () => UUIDScalar) userId: string,
    @Arg("healthActionId", () => UUIDScalar) healthActionId: string,
    @Arg("input", () => UpdateHealthActionInput) input: UpdateHealthActionInput,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.healthActions.update(userId, healthActionId, input);
  }

  @Mutation(() => Boolean, { description: "Delete a health action." })
  deleteHealthAction(@Arg("userId", () => UUIDScalar) userId: string, @Arg("healthActionId", () => UUIDScalar) healthActionId: string, @Ctx() ctx: Context) {
    return ctx.services.healthActions.delete(userId, healthActionId);
  }
}
