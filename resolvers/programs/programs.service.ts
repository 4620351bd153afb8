import { LockMode } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import { DateTime } from "luxon";
import { HealthActionSource } from "../../entities/health-actions/health-action.entity";
import { Program } from "../../entities/programs/program.entity";
import { RecommendedAction } from "../../entities/programs/recommended-action.entity";
import { PriorityStatus, UserPriority } from "../../entities/programs/user-priority.entity";
import { User } from "../../entities/users/user.entity";
import type { AcceptedRecommendationType, ProgramType, RecommendedActionType, UpdatePriorityInput, UserPriorityType } from "../../schema/programs/program.type";
import type { Context } from "../_shared/context";
import { DomainError, notFound } from "../_shared/errors";
import { emitEvent } from "../event-stream";
import { loadProgramFacts } from "./program-facts";
import { createOpenRecommendationsLoader } from "./programs.loaders";
import { toPriority, toProgram } from "./programs.mapper";

/**
 * The next instant, strictly after `now`, at which the member's wall clock reads `localTime`
 * (`HH:mm`). A time that does not exist on a spring-forward day moves forward with the clock.
 */
export function nextOccurrence(localTime: string, zone: string, now: Date): Date {
  const [hour, minute] = localTime.split(":").map(Number) as [number, number];
  const local = DateTime.fromJSDate(now, { zone });
  const today = local.set({ hour, minute, second: 0, millisecond: 0 });
  return (today > local ? today : local.plus({ days: 1 }).set({ hour, minute, second: 0, millisecond: 0 })).toJSDate();
}

/** Status changes a caller may make to a priority (`outdated` is the system's). */
export const PRIORITY_TRANSITIONS: Readonly<Record<PriorityStatus, readonly PriorityStatus[]>> = {
  active: [PriorityStatus.dismissed, PriorityStatus.completed],
  dismissed: [PriorityStatus.active],
  completed: [PriorityStatus.active],
  outdated: [],
};

/** Programs, priorities and recommended actions (spec §7). */
export class ProgramsService {
  private readonly openRecommendations;
  constructor(private readonly ctx: Context) {
    this.openRecommendations = createOpenRecommendationsLoader(ctx);
  }

  /** The member's active program, or null when there is none (REST renders 404). */
  async active(userId: string): Promise<ProgramType | null> {
    const user = await this.ctx.services.users.requireMember(userId);
    const program = await this.ctx.em.findOne(Program, { user: user.id, active: true });
    return program ? toProgram(program) : null;
  }

  /** Priorities in one status, ranked (rank 1 first; newer sets first within a rank). */
  async priorities(userId: string, status: PriorityStatus): Promise<UserPriorityType[]> {
    const user = await this.ctx.services.users.requireMember(userId);
    const rows = await this.ctx.em.find(UserPriority, { user: user.id, status }, { orderBy: { rank: "asc", createdAt: "desc", id: "asc" } });
    return rows.map(toPriority);
  }

  /**
   * The member (or partner) marks a priority dismissed or completed, or takes that back. `outdated`
   * belongs to the system (a newer program); an outdated priority cannot change. Same status is a
   * no-op; anything else is invalid_transition. A change emits program.updated in its transaction.
   */
  async updatePriority(userId: string, priorityId: string, input: UpdatePriorityInput): Promise<UserPriorityType> {
    const user = await this.ctx.services.users.requireMember(userId);
    const row = await this.ctx.em.transactional(async (em) => {
      const p = await em.findOne(UserPriority, { id: priorityId, user: user.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!p) throw notFound("Priority");
      if (p.status === input.status) return p;
      if (!PRIORITY_TRANSITIONS[p.status].includes(input.status)) {
        throw new DomainError("invalid_transition", `A priority cannot go from ${p.status} to ${input.status}`);
      }
      const now = this.ctx.deps.now();
      p.status = input.status;
      p.updatedAt = now;
      await em.flush();
      await this.programUpdated(em, user, p.programId ?? null, "priority_updated", now);
      return p;
    });
    return toPriority(row);
  }

  /** Open recommendations of a program the caller already reached (batched per request). */
  recommendedActions(programId: string): Promise<RecommendedActionType[]> {
    return this.openRecommendations.load(programId);
  }

  /**
   * Turns a recommendation into a program focus action scheduled at the next occurrence of its
   * `localTime` in the member's zone. The claim is one conditional UPDATE, so a recommendation is
   * accepted at most once even under concurrent requests; a repeat is 409 conflict.
   */
  async accept(userId: string, recommendationId: string): Promise<AcceptedRecommendationType> {
    const user = await this.ctx.services.users.requireMember(userId);
    return this.ctx.em.transactional(async (em) => {
      const now = this.ctx.deps.now();
      const claimed = await em.nativeUpdate(RecommendedAction, { id: recommendationId, user: user.id, acceptedAt: null }, { acceptedAt: now });
      if (!claimed) {
        if (await em.count(RecommendedAction, { id: recommendationId, user: user.id })) {
          throw new DomainError("conflict", "This recommendation was already accepted");
        }
        throw notFound("Recommendation");
      }
      const rec = await em.findOneOrFail(RecommendedAction, { id: recommendationId });
      const action = await this.ctx.services.healthActions.createInTransaction(em, user, {
        title: rec.title,
        description: rec.description,
        scheduledAt: nextOccurrence(rec.localTime, user.timezone || "UTC", now),
        source: HealthActionSource.program,
        isFocus: true,
        programId: rec.programId ?? null,
        category: rec.category,
      });
      await em.nativeUpdate(RecommendedAction, { id: rec.id }, { focusAction: action.id });
      await this.programUpdated(em, user, rec.programId ?? null, "recommendation_accepted", now);
      return { recommendationId: rec.id, focusActionId: action.id, acceptedAt: now };
    });
  }

  /**
   * Sandbox only: plans a program from the member's last 28 days through the AI provider and makes
   * it the active one. The previous program becomes inactive, its still-active priorities become
   * `outdated` and its unaccepted recommendations are removed, all in one transaction with the
   * `program.updated` event. Generations for one member are serialised on the member's row.
   */
  async generateSandbox(userId: string): Promise<ProgramType> {
    // Production programs come from the member's intake conversation.
    await this.ctx.services.partners.requireSandboxOrg("On-demand program generation");
    const user = await this.ctx.services.users.requireMember(userId);
    const now = this.ctx.deps.now();
    const facts = await loadProgramFacts(this.ctx.em, this.ctx.deps.config.metricSourcePriority, user, now);
    const plan = await this.ctx.deps.ai.planProgram(facts);
    const program = await this.ctx.em.transactional(async (em) => {
      await em.execute("select id from users where id = ? for update", [user.id]);
      const previous = await em.execute<{ id: string }[]>("update programs set active = false, updated_at = ? where user_id = ? and active returning id", [now, user.id]);
      if (previous.length) {
        await em.nativeDelete(RecommendedAction, { user: user.id, programId: { $in: previous.map((p) => p.id) }, acceptedAt: null });
      }
      await em.nativeUpdate(UserPriority, { user: user.id, status: PriorityStatus.active }, { status: PriorityStatus.outdated, updatedAt: now });
      const member = em.getReference(User, user.id);
      const created = em.create(Program, {
        user: member,
        name: plan.name,
        description: plan.description,
        analysisInsight: plan.analysisInsight,
        active: true,
        focusCategories: plan.focusCategories,
        goals: plan.goals,
        createdAt: now,
        updatedAt: now,
      });
      for (const p of plan.priorities) {
        em.create(UserPriority, { user: member, programId: created.id, ...p, status: PriorityStatus.active, createdAt: now, updatedAt: now });
      }
      plan.recommendedActions.forEach((r, i) => {
        // createdAt is offset by the plan position (1 ms apart) so reads keep the plan's order.
        em.create(RecommendedAction, { user: member, programId: created.id, ...r, createdAt: new Date(now.getTime() + i) });
      });
      await em.flush();
      await this.programUpdated(em, user, created.id, "program_generated", now);
      return created;
    });
    return toProgram(program);
  }

  private programUpdated(em: EntityManager, user: User, programId: string | null, reason: string, now: Date) {
    return emitEvent(em, {
      orgId: user.org.id,
      user,
      type: "program.updated",
      occurredAt: now,
      body: { user_id: user.partnerUserId, program_id: programId, reason },
    });
  }
}
