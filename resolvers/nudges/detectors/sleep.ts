/**
 * Sleep detectors: sleep_recovery, sleep_trend_declining, bedtime_drift, jet_lag (spec §19).
 * A night's `date` is the local date the member woke; clock positions (bedtime, midpoint) are local
 * wall-clock minutes from 18:00 (see util.clockMinutesFromOrigin), so DST changes do not shift them.
 */
import { THRESHOLDS as T } from "./thresholds";
import type { Detector, Night } from "./types";
import { addDays, clockMinutesFromOrigin, eveningDate, ge, gt, hours1, inRange, int, isoWeekKey, localNow, lt, mean, originMinutesToClock, zoneOf } from "./util";

const HOUR_S = 3600;

/** Nights dated in [from, to], ascending by date then start. */
function nightsBetween(nights: readonly Night[], from: string, to: string): Night[] {
  return nights.filter((n) => inRange(n.date, from, to)).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.start.getTime() - b.start.getTime()));
}

/**
 * sleep_recovery: today's night (dated today: the member has woken) is poor when any of: duration
 * < 6 h; efficiency < 85 %; awake time > 20 % of the duration (only when stages are known).
 * Window = the night's date.
 */
export const sleepRecovery: Detector = (s) => {
  const today = localNow(s).toISODate()!;
  const night = nightsBetween(s.nights, today, today).at(-1);
  if (!night) return null;
  const reasons: string[] = [];
  if (lt(night.durationSeconds, T.SLEEP_RECOVERY_MIN_HOURS * HOUR_S)) reasons.push("short_sleep");
  if (night.efficiency !== null && lt(night.efficiency, T.SLEEP_RECOVERY_MIN_EFFICIENCY)) reasons.push("low_efficiency");
  const awakeFraction = night.awakeSeconds !== null && night.durationSeconds > 0 ? night.awakeSeconds / night.durationSeconds : null;
  if (awakeFraction !== null && gt(awakeFraction, T.SLEEP_RECOVERY_MAX_AWAKE_FRACTION)) reasons.push("restless");
  if (reasons.length === 0) return null;
  const facts: Record<string, number | string> = { duration_hours: hours1(night.durationSeconds), reasons: reasons.join(",") };
  if (night.efficiency !== null) facts.efficiency_pct = int(night.efficiency);
  if (awakeFraction !== null) facts.awake_pct = int(awakeFraction * 100);
  if (night.awakeSeconds !== null) facts.awake_minutes = int(night.awakeSeconds / 60);
  if (night.deepSeconds !== null) facts.deep_minutes = int(night.deepSeconds / 60);
  if (night.remSeconds !== null) facts.rem_minutes = int(night.remSeconds / 60);
  return { trigger: "sleep_recovery", windowKey: night.date, target: "card", facts };
};

/**
 * sleep_trend_declining: the last 3 nights end with today's night when the member already woke,
 * else with yesterday's; all 3 dates must have a night. Their mean duration < 0.85 × the mean of
 * the 28 nights (dates) ending at the same night (≥ 14 with data; the 3 are part of the 28).
 * Window = ISO week of the local date.
 */
export const sleepTrendDeclining: Detector = (s) => {
  const now = localNow(s);
  const today = now.toISODate()!;
  const last = s.nights.some((n) => n.date === today) ? today : addDays(today, -1);
  const recent = nightsBetween(s.nights, addDays(last, 1 - T.SLEEP_TREND_RECENT_NIGHTS), last);
  const base = nightsBetween(s.nights, addDays(last, 1 - T.SLEEP_TREND_BASELINE_NIGHTS), last);
  if (recent.length < T.SLEEP_TREND_RECENT_NIGHTS || base.length < T.SLEEP_TREND_MIN_BASELINE_NIGHTS) return null;
  const r = mean(recent.map((n) => n.durationSeconds));
  const b = mean(base.map((n) => n.durationSeconds));
  if (!(b > 0) || !lt(r, T.SLEEP_TREND_RATIO * b)) return null;
  return {
    trigger: "sleep_trend_declining",
    windowKey: isoWeekKey(now),
    target: "card",
    facts: { sleep_3d_avg_hours: hours1(r), sleep_28d_avg_hours: hours1(b), drop_pct: int((1 - r / b) * 100) },
  };
};

/**
 * bedtime_drift: among the nights dated in the last 7 local days (today included), the mean
 * bedtime of the last 3 differs by more than 45 min from the mean of the earlier ones (up to 4,
 * need ≥ 2). Bedtime = local sleep start in minutes from 18:00. Window = ISO week.
 */
export const bedtimeDrift: Detector = (s) => {
  const now = localNow(s);
  const zone = zoneOf(s);
  const today = now.toISODate()!;
  const week = nightsBetween(s.nights, addDays(today, 1 - T.BEDTIME_WINDOW_DAYS), today);
  if (week.length < T.BEDTIME_RECENT_NIGHTS + T.BEDTIME_MIN_PREVIOUS_NIGHTS) return null;
  const recent = week.slice(-T.BEDTIME_RECENT_NIGHTS);
  const previous = week.slice(0, -T.BEDTIME_RECENT_NIGHTS).slice(-(T.BEDTIME_WINDOW_DAYS - T.BEDTIME_RECENT_NIGHTS));
  const r = mean(recent.map((n) => clockMinutesFromOrigin(n.start, zone)));
  const p = mean(previous.map((n) => clockMinutesFromOrigin(n.start, zone)));
  const shift = r - p;
  if (!gt(Math.abs(shift), T.BEDTIME_DRIFT_MINUTES)) return null;
  return {
    trigger: "bedtime_drift",
    windowKey: isoWeekKey(now),
    target: "card",
    facts: {
      recent_bedtime: originMinutesToClock(r),
      previous_bedtime: originMinutesToClock(p),
      shift_minutes: int(Math.abs(shift)),
      direction: shift > 0 ? "later" : "earlier",
    },
  };
};

/** A night that starts on a Friday or Saturday evening (a start after midnight belongs to the evening before). */
function isWeekendNight(n: Night, zone: string): boolean {
  const wd = eveningDate(n.start, zone).weekday; // 1 = Monday … 7 = Sunday
  return wd === 5 || wd === 6;
}

/** Local clock of the sleep midpoint instant, minutes from 18:00. */
function midpointMinutes(n: Night, zone: string): number {
  return clockMinutesFromOrigin(new Date((n.start.getTime() + n.end.getTime()) / 2), zone);
}

/**
 * jet_lag (social jet lag): over the nights dated in the last 14 local days, the mean sleep
 * midpoint of weekend nights (starting Friday or Saturday evening) differs from the weekday nights'
 * by ≥ 60 min (need ≥ 2 weekend and ≥ 4 weekday nights). Window = ISO week.
 */
export const jetLag: Detector = (s) => {
  const now = localNow(s);
  const zone = zoneOf(s);
  const today = now.toISODate()!;
  const nights = nightsBetween(s.nights, addDays(today, 1 - T.JET_LAG_WINDOW_NIGHTS), today);
  const weekend: number[] = [];
  const weekday: number[] = [];
  for (const n of nights) (isWeekendNight(n, zone) ? weekend : weekday).push(midpointMinutes(n, zone));
  if (weekend.length < T.JET_LAG_MIN_WEEKEND_NIGHTS || weekday.length < T.JET_LAG_MIN_WEEKDAY_NIGHTS) return null;
  const we = mean(weekend);
  const wd = mean(weekday);
  if (!ge(Math.abs(we - wd), T.JET_LAG_MINUTES)) return null;
  return {
    trigger: "jet_lag",
    windowKey: isoWeekKey(now),
    target: "card",
    facts: {
      weekend_midpoint: originMinutesToClock(we),
      weekday_midpoint: originMinutesToClock(wd),
      difference_minutes: int(Math.abs(we - wd)),
      direction: we > wd ? "later_on_weekends" : "earlier_on_weekends",
      weekend_nights: weekend.length,
      weekday_nights: weekday.length,
    },
  };
};
