import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from "type-graphql";
import { UUIDScalar } from "../../schema/_shared/scalars";
import { PriorityStatus } from "../../schema/programs/program.enum";
import { AcceptedRecommendationType, ProgramType, RecommendedActionType, UpdatePriorityInput, UserPriorityType } from "../../schema/programs/program.type";
import type { Context } from "../_shared/context";

@Resolver(() => ProgramType)
export class ProgramsResolver {
  @Query(() => ProgramType, { nullable: true, description: "The member's active program; null when there is none (REST: 404 not_found)." })
  program(@Arg("userId", () => UUIDScalar) userId: string, @Ctx() ctx: Context) {
    return ctx.services.programs.active(userId);
  }

  @FieldResolver(() => [RecommendedActionType], { description: "Recommendations of this program that were not accepted yet, in plan order." })
  recommendedActions(@Root() program: ProgramType, @Ctx() ctx: Context) {
    return ctx.services.programs.recommendedActions(program.programId);
  }

  @Query(() => [UserPriorityType], { description: "The member's priorities in one status (default active), ranked. Re-fetch after a program.updated event." })
  priorities(
    @Arg("userId", () => UUIDScalar) userId: string,
    @Arg("status", () => PriorityStatus, { defaultValue: PriorityStatus.active, description: "Which priorities to list (default active)." }) status: PriorityStatus,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.programs.priorities(userId, status);
  }

  @Mutation(() => UserPriorityType, {
    description:
      "Mark a priority dismissed or completed, or take that back (→ active). Same status is a no-op; outdated priorities cannot change (invalid_transition). Emits program.updated.",
  })
  updatePriority(
    @Arg("userId", () => UUIDScalar) userId: string,
    @Arg("userPriorityId", () => UUIDScalar) userPriorityId: string,
    @Arg("input", () => UpdatePriorityInput) input: UpdatePriorityInput,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.programs.updatePriority(userId, userPriorityId, input);
  }

  @Mutation(() => AcceptedRecommendationType, {
    description: "Accept a recommended action: creates a program focus action at the next occurrence of its local time. A repeat is conflict.",
  })
  acceptRecommendedAction(@Arg("userId", () => UUIDScalar) userId: string, @Arg("recommendationId", () => UUIDScalar) recommendationId: string, @Ctx() ctx: Context) {
    return ctx.services.programs.accept(userId, recommendationId);
  }

  @Mutation(() => ProgramType, {
    description: "Sandbox orgs only (forbidden in production): generate the member's program now from their last 28 days of data, replacing the active one. Tenant key.",
  })
  generateSandboxProgram(@Arg("userId", () => UUIDScalar) userId: string, @Ctx() ctx: Context) {
    return ctx.services.programs.generateSandbox(userId);
  }
}
