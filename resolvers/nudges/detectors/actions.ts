/**
 * Action detectors: missed_first_action, multiple_missed_actions, action_reminder (spec §19).
 */
import { THRESHOLDS as T } from "./thresholds";
import type { ActionPoint, Detector, MemberSnapshot } from "./types";
import { local, localDate, localNow, zoneOf } from "./util";

const MINUTE_MS = 60_000;

/**
 * Missed as of now: status `missed`, or `pending` and at least OVERDUE_MINUTES past its scheduled
 * time (exactly 60 min past counts: "≥ 1 h"). completed / skipped / cancelled never count.
 */
export function isMissed(a: ActionPoint, now: Date): boolean {
  if (a.status === "missed") return true;
  return a.status === "pending" && now.getTime() - a.scheduledAt.getTime() >= T.OVERDUE_MINUTES * MINUTE_MS;
}

/** Actions whose scheduled instant falls on today's local date, ascending by scheduledAt (stable). */
function actionsScheduledToday(s: MemberSnapshot): ActionPoint[] {
  const zone = zoneOf(s);
  const today = localDate(s.now, zone);
  return s.actions.filter((a) => localDate(a.scheduledAt, zone) === today).sort((a, b) => a.scheduledAt.getTime() - b.scheduledAt.getTime());
}

/**
 * missed_first_action: the earliest focus action scheduled today (local) that is missed (see
 * isMissed). Our reading: we pick the earliest *missed* focus action, so a completed 07:00 focus
 * action does not hide a missed 09:00 one. Window = local date: at most one such nudge a day.
 */
export const missedFirstAction: Detector = (s) => {
  const a = actionsScheduledToday(s).find((x) => x.isFocus && isMissed(x, s.now));
  if (!a) return null;
  const today = localNow(s).toISODate()!;
  return {
    trigger: "missed_first_action",
    windowKey: today,
    target: "card",
    healthActionId: a.id,
    facts: {
      title: a.title,
      scheduled_time: local(a.scheduledAt, zoneOf(s)).toFormat("HH:mm"),
      minutes_overdue: Math.max(0, Math.floor((s.now.getTime() - a.scheduledAt.getTime()) / MINUTE_MS)),
    },
  };
};

/** multiple_missed_actions: ≥ MULTIPLE_MISSED_MIN_COUNT actions scheduled today (local) are missed. Window = local date. */
export const multipleMissedActions: Detector = (s) => {
  const today = actionsScheduledToday(s);
  const missed = today.filter((a) => isMissed(a, s.now));
  if (missed.length < T.MULTIPLE_MISSED_MIN_COUNT) return null;
  return {
    trigger: "multiple_missed_actions",
    windowKey: localNow(s).toISODate()!,
    target: "card",
    facts: { missed_count: missed.length, scheduled_today: today.length },
  };
};

/**
 * action_reminder: a pending action with now ∈ [scheduledAt − REMINDER_LEAD_MINUTES, scheduledAt).
 * Only the earliest such action per run (one firing per detector per run; the next run, 15 min
 * later, picks up the next one). Window `action:{id}:{scheduled epoch seconds}`, so a rescheduled
 * action gets a fresh reminder while a re-run never duplicates one.
 */
export const actionReminder: Detector = (s) => {
  const now = s.now.getTime();
  let best: ActionPoint | undefined;
  for (const a of s.actions) {
    if (a.status !== "pending") continue;
    const at = a.scheduledAt.getTime();
    if (now < at - T.REMINDER_LEAD_MINUTES * MINUTE_MS || now >= at) continue;
    if (!best || at < best.scheduledAt.getTime()) best = a;
  }
  if (!best) return null;
  const at = best.scheduledAt.getTime();
  return {
    trigger: "action_reminder",
    windowKey: `action:${best.id}:${Math.floor(at / 1000)}`,
    target: "health_action",
    healthActionId: best.id,
    facts: {
      title: best.title,
      scheduled_time: local(best.scheduledAt, zoneOf(s)).toFormat("HH:mm"),
      minutes_until: Math.ceil((at - now) / MINUTE_MS),
    },
  };
};
