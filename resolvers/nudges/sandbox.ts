import { HealthAction, HealthActionStatus } from "../../entities/health-actions/health-action.entity";
import type { SandboxNudgeInput, SandboxNudgeType } from "../../schema/nudges/card.type";
import type { Context } from "../_shared/context";
import { DomainError } from "../_shared/errors";
import { localDate } from "../metrics";
import { DETECTORS } from "./detectors";
import type { Firing, MemberSnapshot, TriggerName } from "./detectors/types";
import { fireNudges } from "./nudge-engine";
import { MEMBER_SQL } from "./snapshots.sql";
import { loadSnapshots, toNudgeMember, type MemberRow } from "./snapshots";
import crypto from "node:crypto";

/** Triggers whose nudge targets a health action rather than a card. */
const ACTION_TARGET: ReadonlySet<TriggerName> = new Set(["action_reminder"]);
/** Triggers whose card is about a health action (offers `mark_health_action_as_completed`). */
const ACTION_CARDS: ReadonlySet<TriggerName> = new Set(["missed_first_action"]);

/**
 * Partners test their integration without waiting for real data: this makes one detector fire now
 * for one member, through the same engine as a scheduled firing (card or health-action nudge,
 * `coach.nudge.created`, live subscription). When the detector's own rule holds, its facts are
 * used; otherwise the facts are the member's latest numbers. Sandbox firings use their own window
 * key, so they can be repeated and never use up a scheduled window.
 */
export class SandboxNudgesService {
  constructor(private readonly ctx: Context) {}

  async fire(userId: string, input: SandboxNudgeInput): Promise<SandboxNudgeType> {
    await this.ctx.services.partners.requireSandboxOrg("Firing nudges on demand");
    const user = await this.ctx.services.users.requireMember(userId);
    if (!(await this.ctx.services.privacy.forUser(user)).nudgesEnabled) {
      throw new DomainError("conflict", "This member has turned nudges off in their privacy settings (nudges_enabled=false)");
    }
    const trigger = input.triggerName as TriggerName;
    const now = this.ctx.deps.now();
    const [row] = await this.ctx.em.execute<MemberRow[]>(MEMBER_SQL, [user.id]);
    const member = toNudgeMember(row);
    const [snapshot] = await loadSnapshots(this.ctx.em, [member], now, this.ctx.deps.config.metricSourcePriority);
    const detected = DETECTORS[trigger](snapshot);
    const windowKey = `sandbox:${crypto.randomUUID()}`;
    const firing: Firing = detected ? { ...detected, windowKey } : await this.forced(trigger, snapshot, user.id, windowKey);
    const [fired] = await fireNudges(this.ctx.deps, [{ member, firing, origin: "sandbox" }]);
    return { triggerName: trigger, target: { type: fired.targetType, id: fired.targetId }, eventId: fired.eventId, createdAt: fired.createdAt };
  }

  /** A firing built from the member's latest numbers when the detector's rule does not hold right now. */
  private async forced(trigger: TriggerName, s: MemberSnapshot, internalUserId: string, windowKey: string): Promise<Firing> {
    const facts: Record<string, number | string> = { sandbox: "forced" };
    const today = localDate(s.now, s.timezone);
    const lastDay = [...s.dailySteps].reverse().find((d) => d.date < today);
    if (lastDay) facts.yesterday_steps = Math.round(lastDay.steps);
    const night = s.nights[s.nights.length - 1];
    if (night) {
      facts.sleep_hours = Math.round(night.durationSeconds / 360) / 10;
      if (night.efficiency !== null) facts.sleep_efficiency_pct = Math.round(night.efficiency);
    }
    // A reminder is about the next pending action (else the latest); a missed-action card about the
    // latest pending action already due (else none: the card then just carries the member's numbers).
    const action = ACTION_TARGET.has(trigger)
      ? await this.pendingAction(internalUserId, s.now, "next")
      : ACTION_CARDS.has(trigger)
        ? await this.pendingAction(internalUserId, s.now, "overdue")
        : null;
    if (ACTION_TARGET.has(trigger) && !action) {
      throw new DomainError("conflict", `${trigger} needs a pending health action; create one with POST /v1/users/{user_id}/health-actions first`);
    }
    if (action) {
      const minutes = Math.round((action.scheduledAt.getTime() - s.now.getTime()) / 60_000);
      facts.title = action.title;
      if (minutes >= 0) facts.minutes_until = minutes;
      else facts.minutes_overdue = -minutes;
    }
    return { trigger, windowKey, target: ACTION_TARGET.has(trigger) ? "health_action" : "card", ...(action ? { healthActionId: action.id } : {}), facts };
  }

  /** `next`: the member's next pending action, else their latest pending one. `overdue`: the latest pending action already due. */
  private async pendingAction(userId: string, now: Date, which: "next" | "overdue"): Promise<HealthAction | null> {
    const where = { user: userId, status: HealthActionStatus.pending };
    const latestDue = () => this.ctx.em.findOne(HealthAction, { ...where, scheduledAt: { $lte: now } }, { orderBy: { scheduledAt: "desc" } });
    if (which === "overdue") return latestDue();
    return (await this.ctx.em.findOne(HealthAction, { ...where, scheduledAt: { $gt: now } }, { orderBy: { scheduledAt: "asc" } })) ?? latestDue();
  }
}
