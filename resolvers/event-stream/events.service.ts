import DataLoader from "dataloader";
import type { FilterQuery } from "@mikro-orm/core";
import { DeliveryAttempt } from "../../entities/event-stream/delivery-attempt.entity";
import { EventRecord, EventStatus } from "../../entities/event-stream/event.entity";
import type { EventFilterArgs, EventType } from "../../schema/event-stream/event.type";
import { requireTenant } from "../_shared/authz";
import type { Context } from "../_shared/context";
import { notFound } from "../_shared/errors";
import { EVENTS_CHANNEL } from "./emit";

/** Operator API over the outbox: what was sent, where, how each attempt went; replay. */
export class EventsService {
  /** Event id → its attempts in order (one query per request, whatever the page size). */
  readonly attempts: DataLoader<string, DeliveryAttempt[]>;

  constructor(private readonly ctx: Context) {
    this.attempts = new DataLoader(async (ids) => {
      const rows = await ctx.em.find(DeliveryAttempt, { event: { $in: [...ids] } }, { orderBy: { attemptedAt: "asc", attemptNo: "asc" } });
      return ids.map((id) => rows.filter((r) => r.event.id === id));
    });
  }

  toView(ev: EventRecord): Omit<EventType, "deliveryAttempts"> {
    return {
      eventId: ev.id,
      eventType: ev.eventType,
      apiVersion: "v1",
      userId: ev.subjectUserId ?? null,
      occurredAt: ev.occurredAt,
      body: JSON.parse(ev.body) as Record<string, unknown>,
      status: ev.status,
      attempts: ev.attempts,
      nextAttemptAt: ev.status === EventStatus.pending ? ev.nextAttemptAt : null,
      deliveredAt: ev.deliveredAt ?? null,
      lastError: ev.lastError ?? null,
    };
  }

  async list(args: EventFilterArgs) {
    const tenant = requireTenant(this.ctx.viewer);
    const where: FilterQuery<EventRecord> = { org: tenant.orgId };
    if (args.eventType) where.eventType = args.eventType;
    if (args.status) where.status = args.status;
    if (args.userId) where.subjectUserId = args.userId;
    if (args.since || args.until) where.occurredAt = { ...(args.since ? { $gte: args.since } : {}), ...(args.until ? { $lt: args.until } : {}) };
    const [rows, total] = await this.ctx.em.findAndCount(EventRecord, where, {
      orderBy: { occurredAt: "desc", id: "asc" },
      limit: args.limit,
      offset: args.offset,
    });
    return { items: rows.map((r) => this.toView(r)), pagination: { limit: args.limit, offset: args.offset, total } };
  }

  private async find(eventId: string): Promise<EventRecord> {
    const tenant = requireTenant(this.ctx.viewer);
    const ev = await this.ctx.em.findOne(EventRecord, { id: eventId, org: tenant.orgId });
    if (!ev) throw notFound("Event");
    return ev;
  }

  async get(eventId: string) {
    return this.toView(await this.find(eventId));
  }

  /**
   * Delivers the event again with the same event_id (receivers dedupe on it), on a fresh 48 h
   * schedule. Works for delivered and failed events; a pending one is simply made due now.
   */
  async replay(eventId: string) {
    const ev = await this.find(eventId);
    const now = this.ctx.deps.now();
    await this.ctx.em.transactional(async (em) => {
      await em.nativeUpdate(EventRecord, { id: ev.id }, { status: EventStatus.pending, nextAttemptAt: now, firstAttemptAt: null, lastError: null });
      await em.execute("select pg_notify(?, ?)", [EVENTS_CHANNEL, JSON.stringify({ id: ev.id, org_id: ev.org.id, replay: true })]);
    });
    return { eventId: ev.id, status: "accepted" };
  }
}
