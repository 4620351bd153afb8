/**
 * mood_trend_down (spec §19): check-in mood ratings (1–5 scale, spec §11).
 */
import { THRESHOLDS as T } from "./thresholds";
import type { CheckInPoint, Detector } from "./types";
import { addDays, dec1, inRange, isoWeekKey, le, localNow, mean, median } from "./util";

function moodsBetween(checkIns: readonly CheckInPoint[], from: string, to: string): number[] {
  const out: number[] = [];
  for (const c of checkIns) if (c.moodRating !== null && inRange(c.date, from, to)) out.push(c.moodRating);
  return out;
}

/**
 * mood_trend_down: the median mood of the check-ins in the last 5 local days (today included, ≥ 3
 * with a mood) ≤ the mean mood of the last 28 local days (today included, ≥ 7; the 5 are part of
 * the 28) − 2 points. Window = ISO week of the local date.
 */
export const moodTrendDown: Detector = (s) => {
  const now = localNow(s);
  const today = now.toISODate()!;
  const recent = moodsBetween(s.checkIns, addDays(today, 1 - T.MOOD_TREND_RECENT_DAYS), today);
  const base = moodsBetween(s.checkIns, addDays(today, 1 - T.MOOD_TREND_BASELINE_DAYS), today);
  if (recent.length < T.MOOD_TREND_MIN_RECENT || base.length < T.MOOD_TREND_MIN_BASELINE) return null;
  const med = median(recent);
  const avg = mean(base);
  if (!le(med, avg - T.MOOD_TREND_DROP_POINTS)) return null;
  return {
    trigger: "mood_trend_down",
    windowKey: isoWeekKey(now),
    target: "card",
    facts: { mood_5d_median: dec1(med), mood_28d_avg: dec1(avg), drop_points: dec1(avg - med), recent_check_ins: recent.length },
  };
};
