/**
 * Step detectors: activity_momentum, step_trend_declining, bounce_back (spec §19).
 */
import { THRESHOLDS as T } from "./thresholds";
import type { DaySteps, Detector } from "./types";
import { addDays, ge, inRange, int, isoWeekKey, le, localNow, lt, mean, percentile } from "./util";

/** Step totals of the days in [from, to] that have data. */
function stepsBetween(days: readonly DaySteps[], from: string, to: string): number[] {
  return days.filter((d) => inRange(d.date, from, to)).map((d) => d.steps);
}

/**
 * Cumulative steps up to the end of local hour h. The array is cumulative, so hours past its end
 * (no samples after that) carry its last value; an empty array means no data.
 */
function cumulativeAt(cumulative: readonly number[], h: number): number | null {
  if (cumulative.length === 0) return null;
  return cumulative[Math.min(h, cumulative.length - 1)] ?? null;
}

/**
 * activity_momentum: with local time in [MOMENTUM_FROM_HOUR, MOMENTUM_UNTIL_HOUR), h = the last
 * completed local hour (now 14:20 → h = 13, steps up to 14:00). Fires when today's cumulative steps
 * at h are strictly below the 25th percentile of the same hour on the previous days (up to 28,
 * need ≥ 7 with data). No intraday data today → no firing (unsynced, not sedentary). Window = local date.
 */
export const activityMomentum: Detector = (s) => {
  const now = localNow(s);
  if (now.hour < T.MOMENTUM_FROM_HOUR || now.hour >= T.MOMENTUM_UNTIL_HOUR) return null;
  const h = now.hour - 1;
  const today = now.toISODate()!;
  const first = addDays(today, -T.MOMENTUM_HISTORY_DAYS);
  const todayRow = s.intradaySteps.find((d) => d.date === today);
  const soFar = todayRow ? cumulativeAt(todayRow.cumulative, h) : null;
  if (soFar === null) return null;
  const history: number[] = [];
  for (const d of s.intradaySteps) {
    if (!inRange(d.date, first, addDays(today, -1))) continue;
    const v = cumulativeAt(d.cumulative, h);
    if (v !== null) history.push(v);
  }
  if (history.length < T.MOMENTUM_MIN_HISTORY_DAYS) return null;
  const p25 = percentile(history, T.MOMENTUM_PERCENTILE);
  if (!lt(soFar, p25)) return null;
  return {
    trigger: "activity_momentum",
    windowKey: today,
    target: "card",
    facts: { steps_so_far: int(soFar), p25_for_hour: int(p25), hour: h, as_of: `${String(h + 1).padStart(2, "0")}:00`, history_days: history.length },
  };
};

/**
 * step_trend_declining: mean steps of the last 10 complete local days (today excluded, ≥ 7 with
 * data) ≤ (1 − STEP_TREND_DROP) × the mean of the last 28 complete days (≥ 20 with data; the 10
 * are part of the 28). A zero baseline never fires. Window = ISO week of the local date.
 */
export const stepTrendDeclining: Detector = (s) => {
  const now = localNow(s);
  const yesterday = addDays(now.toISODate()!, -1);
  const recent = stepsBetween(s.dailySteps, addDays(yesterday, 1 - T.STEP_TREND_RECENT_DAYS), yesterday);
  const base = stepsBetween(s.dailySteps, addDays(yesterday, 1 - T.STEP_TREND_BASELINE_DAYS), yesterday);
  if (recent.length < T.STEP_TREND_MIN_RECENT_DAYS || base.length < T.STEP_TREND_MIN_BASELINE_DAYS) return null;
  const r = mean(recent);
  const b = mean(base);
  if (!(b > 0) || !le(r, (1 - T.STEP_TREND_DROP) * b)) return null;
  return {
    trigger: "step_trend_declining",
    windowKey: isoWeekKey(now),
    target: "card",
    facts: { steps_10d_avg: int(r), steps_28d_avg: int(b), drop_pct: int((1 - r / b) * 100) },
  };
};

/**
 * bounce_back (the spec's rule is cut off; ours): yesterday's steps ≥ the mean of the 28 complete
 * days before yesterday (≥ 14 with data, mean > 0), and at least 2 of the 3 days before yesterday
 * were below 0.75 × that mean (days without data are not dips). Window = local date.
 */
export const bounceBack: Detector = (s) => {
  const now = localNow(s);
  const yesterday = addDays(now.toISODate()!, -1);
  const y = s.dailySteps.find((d) => d.date === yesterday);
  if (!y) return null;
  const dayBefore = addDays(yesterday, -1);
  const base = stepsBetween(s.dailySteps, addDays(yesterday, -T.BOUNCE_BASELINE_DAYS), dayBefore);
  if (base.length < T.BOUNCE_MIN_BASELINE_DAYS) return null;
  const b = mean(base);
  if (!(b > 0) || !ge(y.steps, b)) return null;
  const dips = stepsBetween(s.dailySteps, addDays(yesterday, -T.BOUNCE_DIP_DAYS), dayBefore).filter((v) => lt(v, T.BOUNCE_DIP_RATIO * b));
  if (dips.length < T.BOUNCE_MIN_DIP_DAYS) return null;
  return {
    trigger: "bounce_back",
    windowKey: now.toISODate()!,
    target: "card",
    facts: { yesterday_steps: int(y.steps), steps_28d_avg: int(b), dip_days: dips.length, dip_days_avg: int(mean(dips)) },
  };
};
