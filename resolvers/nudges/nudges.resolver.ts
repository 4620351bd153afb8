import { Arg, Args, Ctx, Mutation, Query, Resolver } from "type-graphql";
import { CardInteractionStatus } from "../../entities/nudges/nudge-card.entity";
import { PaginationArgs, type PageArgs } from "../../schema/_shared/pagination";
import { UUIDScalar } from "../../schema/_shared/scalars";
import { CoachNudgeCardPageType, CoachNudgeCardType, SandboxNudgeInput, SandboxNudgeType, UpdateCardInput } from "../../schema/nudges/card.type";
import type { Context } from "../_shared/context";

@Resolver()
export class NudgesResolver {
  @Query(() => CoachNudgeCardPageType, { description: "The member's nudge cards, newest first, optionally one interaction status." })
  cards(
    @Arg("userId", () => UUIDScalar) userId: string,
    @Arg("interactionStatus", () => CardInteractionStatus, { nullable: true, description: "Only cards in this interaction status; all when omitted." })
    interactionStatus: CardInteractionStatus | null,
    @Args(() => PaginationArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.cards.list(userId, interactionStatus, page);
  }

  @Query(() => CoachNudgeCardType, { description: "One card (e.g. to hydrate a `basic` coach.nudge.created event)." })
  card(@Arg("userId", () => UUIDScalar) userId: string, @Arg("cardItemId", () => UUIDScalar) cardItemId: string, @Ctx() ctx: Context) {
    return ctx.services.cards.get(userId, cardItemId);
  }

  @Mutation(() => CoachNudgeCardType, {
    description: "Report the member's interaction: pending→opened|dismissed, opened→completed|dismissed; same status is a no-op; anything else invalid_transition.",
  })
  updateCard(
    @Arg("userId", () => UUIDScalar) userId: string,
    @Arg("cardItemId", () => UUIDScalar) cardItemId: string,
    @Arg("input", () => UpdateCardInput) input: UpdateCardInput,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.cards.update(userId, cardItemId, input);
  }

  @Mutation(() => SandboxNudgeType, {
    description:
      "Sandbox orgs only (tenant key): make one detector fire now for a member, through the scheduled path (card or health-action nudge, event, subscription).",
  })
  fireSandboxNudge(@Arg("userId", () => UUIDScalar) userId: string, @Arg("input", () => SandboxNudgeInput) input: SandboxNudgeInput, @Ctx() ctx: Context) {
    return ctx.services.sandboxNudges.fire(userId, input);
  }
}
