import { LockMode, type FilterQuery } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import { DateTime } from "luxon";
import { HealthAction, HealthActionSource, HealthActionStatus } from "../../entities/health-actions/health-action.entity";
import { User } from "../../entities/users/user.entity";
import type { Page } from "../../schema/_shared/pagination";
import { HealthActionSortBy } from "../../schema/health-actions/health-action.enum";
import { MAX_INSTANT, MIN_INSTANT } from "../../schema/_shared/scalars";
import type { CreateHealthActionInput, HealthActionListArgs, HealthActionType, UpdateHealthActionInput } from "../../schema/health-actions/health-action.type";
import type { Context } from "../_shared/context";
import { DomainError, notFound, validationError } from "../_shared/errors";
import { toHealthAction } from "./health-actions.mapper";

/** What another domain supplies to create an action inside its own transaction. */
export interface NewHealthAction {
  title: string;
  description?: string | null;
  scheduledAt: Date;
  source: HealthActionSource;
  isFocus?: boolean;
  programId?: string | null;
  category?: string | null;
  executionOptions?: Record<string, unknown> | null;
}

/** The documented status changes; the same status again is a no-op, anything else is invalid_transition. */
const TRANSITIONS: Record<HealthActionStatus, readonly HealthActionStatus[]> = {
  [HealthActionStatus.pending]: [HealthActionStatus.completed, HealthActionStatus.skipped, HealthActionStatus.missed, HealthActionStatus.cancelled],
  [HealthActionStatus.missed]: [HealthActionStatus.completed],
  [HealthActionStatus.completed]: [],
  [HealthActionStatus.skipped]: [],
  [HealthActionStatus.cancelled]: [],
};

export const canTransition = (from: HealthActionStatus, to: HealthActionStatus) => from === to || TRANSITIONS[from].includes(to);

const SORT_PROPERTY: Record<HealthActionSortBy, "scheduledAt" | "createdAt" | "updatedAt"> = {
  [HealthActionSortBy.scheduled_at]: "scheduledAt",
  [HealthActionSortBy.created_at]: "createdAt",
  [HealthActionSortBy.updated_at]: "updatedAt",
};

/** Health actions (spec §10): partner-authored, coach nudges and program focus actions. */
export class HealthActionsService {
  constructor(private readonly ctx: Context) {}

  /**
   * Filters by status and by the member's local dates of `scheduledAt` (inclusive window in their
   * zone, either end optional); sorted by the chosen instant, ties by id so pages are stable.
   */
  async list(userId: string, args: HealthActionListArgs): Promise<Page<HealthActionType>> {
    const user = await this.ctx.services.users.requireMember(userId);
    const zone = user.timezone || "UTC";
    if (args.startDate && args.endDate && args.endDate < args.startDate) {
      throw validationError([{ field: "endDate", code: "invalid_value", message: "must not be before start_date" }]);
    }
    const where: FilterQuery<HealthAction> = { user: user.id };
    if (args.status) where.status = args.status;
    // Clamped to the storable range (no action lies outside it), so a window at year 0000 or 9999 in
    // the member's zone filters instead of sending PostgreSQL an instant it rejects.
    const from = args.startDate ? DateTime.fromISO(args.startDate, { zone }).startOf("day").toJSDate() : MIN_INSTANT;
    const through = args.endDate ? new Date(DateTime.fromISO(args.endDate, { zone }).plus({ days: 1 }).startOf("day").toMillis() - 1) : MAX_INSTANT;
    if (through < MIN_INSTANT || from > MAX_INSTANT) return { items: [], pagination: { limit: args.limit, offset: args.offset, total: 0 } };
    if (args.startDate || args.endDate) {
      where.scheduledAt = { $gte: from < MIN_INSTANT ? MIN_INSTANT : from, $lte: through > MAX_INSTANT ? MAX_INSTANT : through };
    }
    const [rows, total] = await this.ctx.em.findAndCount(HealthAction, where, {
      orderBy: { [SORT_PROPERTY[args.sortBy]]: args.sortOrder, id: "asc" },
      limit: args.limit,
      offset: args.offset,
    });
    return { items: rows.map(toHealthAction), pagination: { limit: args.limit, offset: args.offset, total } };
  }

  async get(userId: string, healthActionId: string): Promise<HealthActionType> {
    const user = await this.ctx.services.users.requireMember(userId);
    const action = await this.ctx.em.findOne(HealthAction, { id: healthActionId, user: user.id });
    if (!action) throw notFound("Health action");
    return toHealthAction(action);
  }

  /** A partner-authored action: status pending, source partner. */
  async create(userId: string, input: CreateHealthActionInput): Promise<HealthActionType> {
    const user = await this.ctx.services.users.requireMember(userId);
    const action = await this.ctx.em.transactional((em) =>
      this.createInTransaction(em, user, {
        title: input.title.trim(),
        description: input.description ?? null,
        scheduledAt: input.scheduledAt,
        source: HealthActionSource.partner,
        executionOptions: input.executionOptions ?? {},
      }),
    );
    return toHealthAction(action);
  }

  /**
   * Creates an action in the caller's open transaction (`em` is its transactional fork), so other
   * domains (program acceptance, nudges) write the action together with their own change and event.
   * Pass the entity to `healthActionToWire` for the REST shape.
   */
  async createInTransaction(em: EntityManager, user: User, data: NewHealthAction): Promise<HealthAction> {
    const now = this.ctx.deps.now();
    const action = em.create(HealthAction, {
      user: em.getReference(User, user.id),
      title: data.title,
      description: data.description ?? null,
      scheduledAt: data.scheduledAt,
      status: HealthActionStatus.pending,
      source: data.source,
      isFocus: data.isFocus ?? false,
      programId: data.programId ?? null,
      category: data.category ?? null,
      executionOptions: data.executionOptions ?? {},
      createdAt: now,
      updatedAt: now,
    });
    await em.flush();
    return action;
  }

  /**
   * Partial update. Status follows TRANSITIONS (the same status is a no-op); completing sets
   * `completedAt`. The row is locked so two concurrent changes cannot both pass the transition check.
   */
  async update(userId: string, healthActionId: string, input: UpdateHealthActionInput): Promise<HealthActionType> {
    const user = await this.ctx.services.users.requireMember(userId);
    const action = await this.ctx.em.transactional(async (em) => {
      const a = await em.findOne(HealthAction, { id: healthActionId, user: user.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!a) throw notFound("Health action");
      const now = this.ctx.deps.now();
      let changed = false;
      if (input.status && input.status !== a.status) {
        if (!canTransition(a.status, input.status)) {
          throw new DomainError("invalid_transition", `A ${a.status} health action cannot become ${input.status}`);
        }
        a.status = input.status;
        if (input.status === HealthActionStatus.completed) a.completedAt = now;
        changed = true;
      }
      if (input.scheduledAt && input.scheduledAt.getTime() !== a.scheduledAt.getTime()) {
        a.scheduledAt = input.scheduledAt;
        changed = true;
      }
      if (typeof input.title === "string" && input.title.trim() !== a.title) {
        a.title = input.title.trim();
        changed = true;
      }
      if (input.description !== undefined && (input.description ?? null) !== (a.description ?? null)) {
        a.description = input.description ?? null;
        changed = true;
      }
      if (changed) {
        a.updatedAt = now;
        await em.flush();
      }
      return a;
    });
    return toHealthAction(action);
  }

  async delete(userId: string, healthActionId: string): Promise<boolean> {
    const user = await this.ctx.services.users.requireMember(userId);
    const deleted = await this.ctx.em.nativeDelete(HealthAction, { id: healthActionId, user: user.id });
    if (!deleted) throw notFound("Health action");
    return true;
  }
}
