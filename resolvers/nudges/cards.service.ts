import { LockMode } from "@mikro-orm/core";
import { CardInteractionStatus, NudgeCard } from "../../entities/nudges/nudge-card.entity";
import type { Page, PageArgs } from "../../schema/_shared/pagination";
import type { CoachNudgeCardType, UpdateCardInput } from "../../schema/nudges/card.type";
import type { Context } from "../_shared/context";
import { DomainError, notFound } from "../_shared/errors";
import { toCard } from "./nudges.mapper";

/** The documented interaction transitions (spec §8). Same status is a no-op; anything else is refused. */
export const CARD_TRANSITIONS: Readonly<Record<CardInteractionStatus, readonly CardInteractionStatus[]>> = {
  pending: [CardInteractionStatus.opened, CardInteractionStatus.dismissed],
  opened: [CardInteractionStatus.completed, CardInteractionStatus.dismissed],
  completed: [],
  dismissed: [],
};

export class CardsService {
  constructor(private readonly ctx: Context) {}

  /** Newest first; optionally one interaction status. */
  async list(userId: string, status: CardInteractionStatus | null | undefined, page: PageArgs): Promise<Page<CoachNudgeCardType>> {
    const user = await this.ctx.services.users.requireMember(userId);
    const where = { user, ...(status ? { interactionStatus: status } : {}) };
    const [rows, total] = await this.ctx.em.findAndCount(NudgeCard, where, {
      orderBy: { itemCreatedAt: "desc", id: "asc" },
      limit: page.limit,
      offset: page.offset,
    });
    return { items: rows.map(toCard), pagination: { limit: page.limit, offset: page.offset, total } };
  }

  async get(userId: string, cardItemId: string): Promise<CoachNudgeCardType> {
    return toCard(await this.require(userId, cardItemId));
  }

  /**
   * Records the member's interaction. The row is locked so two concurrent PATCHes are judged one
   * after the other (pending→opened and pending→dismissed cannot both win).
   */
  async update(userId: string, cardItemId: string, input: UpdateCardInput): Promise<CoachNudgeCardType> {
    const user = await this.ctx.services.users.requireMember(userId);
    const card = await this.ctx.em.transactional(async (em) => {
      const c = await em.findOne(NudgeCard, { id: cardItemId, user }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!c) throw notFound("Card");
      if (c.interactionStatus === input.interactionStatus) return c;
      if (!CARD_TRANSITIONS[c.interactionStatus].includes(input.interactionStatus)) {
        throw new DomainError("invalid_transition", `A card cannot go from ${c.interactionStatus} to ${input.interactionStatus}`);
      }
      c.interactionStatus = input.interactionStatus;
      c.updatedAt = this.ctx.deps.now();
      return c;
    });
    return toCard(card);
  }

  private async require(userId: string, cardItemId: string): Promise<NudgeCard> {
    const user = await this.ctx.services.users.requireMember(userId);
    const card = await this.ctx.em.findOne(NudgeCard, { id: cardItemId, user });
    if (!card) throw notFound("Card");
    return card;
  }
}
