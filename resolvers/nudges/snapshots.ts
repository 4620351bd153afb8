import type { EntityManager } from "@mikro-orm/postgresql";
import { DateTime } from "luxon";
import type { ActionPoint, CheckInPoint, DaySteps, IntradaySteps, MemberSnapshot, Night } from "./detectors/types";
import { ACTIONS_SQL, CHECK_INS_SQL, DAILY_STEPS_SQL, INTRADAY_STEPS_SQL, NIGHTS_SQL } from "./snapshots.sql";

/** A member as the sweep and the engine see them. */
export interface NudgeMember {
  id: string;
  partnerUserId: string;
  orgId: string;
  firstName: string | null;
  timezone: string;
  delivery: "basic" | "full";
}

export interface MemberRow {
  id: string;
  partner_user_id: string;
  org_id: string;
  first_name: string | null;
  tz: string;
  delivery: string;
}

export const toNudgeMember = (r: MemberRow): NudgeMember => ({
  id: r.id,
  partnerUserId: r.partner_user_id,
  orgId: r.org_id,
  firstName: r.first_name,
  timezone: r.tz,
  delivery: r.delivery === "full" ? "full" : "basic",
});

/** Days of history the detectors look back over (the longest baseline is 28 complete days, plus today and slack for zones). */
export const HISTORY_DAYS = 36;
/** Local hours in which the momentum detector evaluates (only those members' intraday steps are loaded). */
export const MOMENTUM_HOURS = { from: 10, until: 20 } as const;

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const group = <T extends { user_id: string }>(rows: T[]) => {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const list = m.get(r.user_id);
    if (list) list.push(r);
    else m.set(r.user_id, [r]);
  }
  return m;
};

/**
 * Snapshots for a batch of members: five statements whatever the batch size (six with intraday).
 * Date bounds are taken in UTC with a day of slack; the detectors select their own local windows.
 */
export async function loadSnapshots(em: EntityManager, members: NudgeMember[], now: Date, priority: readonly string[]): Promise<MemberSnapshot[]> {
  if (members.length === 0) return [];
  const ids = JSON.stringify(members.map((m) => m.id));
  const prio = JSON.stringify(priority);
  const since = DateTime.fromJSDate(now, { zone: "utc" }).minus({ days: HISTORY_DAYS }).toISODate()!;
  const stagesSince = DateTime.fromJSDate(now, { zone: "utc" }).minus({ days: 2 }).toISODate()!;
  const hourlySince = DateTime.fromJSDate(now, { zone: "utc" }).minus({ days: 30 }).startOf("hour").toJSDate();
  const actionsFrom = new Date(now.getTime() - 50 * 3600_000);
  const actionsTo = new Date(now.getTime() + 2 * 3600_000);

  const [steps, nights, checkIns, actions, intraday] = await Promise.all([
    em.execute<{ user_id: string; date: string; steps: number }[]>(DAILY_STEPS_SQL, [prio, ids, since]),
    em.execute<Record<string, unknown>[] & { user_id: string }[]>(NIGHTS_SQL, [prio, ids, since, stagesSince]),
    em.execute<{ user_id: string; date: string; mood_rating: number | null; energy_level: number | null; sleep_quality: number | null }[]>(CHECK_INS_SQL, [ids, since]),
    em.execute<{ user_id: string; id: string; title: string; status: string; scheduled_at: Date; is_focus: boolean }[]>(ACTIONS_SQL, [ids, actionsFrom, actionsTo]),
    em.execute<{ user_id: string; date: string; hr: number; steps: number }[]>(INTRADAY_STEPS_SQL, [
      prio,
      now,
      ids,
      MOMENTUM_HOURS.from,
      MOMENTUM_HOURS.until,
      hourlySince,
    ]),
  ]);
  const bySteps = group(steps);
  const byNights = group(nights as unknown as ({ user_id: string } & Record<string, unknown>)[]);
  const byCheckIns = group(checkIns);
  const byActions = group(actions);
  const byIntraday = group(intraday);

  return members.map((m): MemberSnapshot => ({
    userId: m.id,
    timezone: m.timezone,
    now,
    dailySteps: (bySteps.get(m.id) ?? []).map((r): DaySteps => ({ date: r.date, steps: Number(r.steps) })),
    nights: (byNights.get(m.id) ?? []).map((r): Night => ({
      date: r.date as string,
      start: new Date(r.start as string),
      end: new Date(r.end as string),
      durationSeconds: Number(r.duration_seconds),
      efficiency: num(r.efficiency),
      deepSeconds: Number(r.n) > 0 ? (num(r.deep) ?? 0) : null,
      remSeconds: Number(r.n) > 0 ? (num(r.rem) ?? 0) : null,
      awakeSeconds: Number(r.n) > 0 ? (num(r.awake) ?? 0) : null,
    })),
    checkIns: (byCheckIns.get(m.id) ?? []).map((r): CheckInPoint => ({
      date: r.date,
      moodRating: r.mood_rating,
      energyLevel: r.energy_level,
      sleepQuality: r.sleep_quality,
    })),
    actions: (byActions.get(m.id) ?? []).map((r): ActionPoint => ({
      id: r.id,
      title: r.title,
      status: r.status,
      scheduledAt: new Date(r.scheduled_at),
      isFocus: r.is_focus,
    })),
    intradaySteps: cumulativeByDay(byIntraday.get(m.id) ?? []),
  }));
}

/** Hourly local totals → 24 cumulative values per local date. */
function cumulativeByDay(rows: { date: string; hr: number; steps: number }[]): IntradaySteps[] {
  const days = new Map<string, number[]>();
  for (const r of rows) {
    let hours = days.get(r.date);
    if (!hours) days.set(r.date, (hours = new Array<number>(24).fill(0)));
    hours[r.hr] = (hours[r.hr] ?? 0) + Number(r.steps);
  }
  return [...days.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([date, hours]) => {
      let total = 0;
      return { date, cumulative: hours.map((v) => (total += v)) };
    });
}
