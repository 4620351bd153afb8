import { timeseriesMetric } from "./timeseries.catalog";

/**
 * The daily series the insight engine reads. Each yields rows `(date, v, provider)`: one value per
 * local date and provider (summary tables may hold several rows a day per provider; they are
 * averaged). The service keeps, per date, only the highest-priority provider.
 */
export interface InsightSeries {
  /** The `metric` of this series' key findings. */
  metric: string;
  /** What the member tracks or syncs, in the suggestions' words ("Track {subject} on more days"). */
  subject: string;
  label: string;
  unit: string;
  higherIsBetter: boolean;
  /** Percent change from the previous period that counts as a change rather than steady. */
  tolerancePct: number;
  source: { kind: "summary"; sql: string } | { kind: "timeseries"; metric: string };
}

export interface DailyWindow {
  userId: string;
  timezone: string;
  /** First and last local date (inclusive, `YYYY-MM-DD`). */
  from: string;
  to: string;
  /** The instants those local dates span: [fromInstant, toInstant). */
  fromInstant: Date;
  toInstant: Date;
}

const summary = (s: Omit<InsightSeries, "source" | "tolerancePct">, sql: string): InsightSeries => ({
  ...s,
  tolerancePct: s.higherIsBetter ? 5 : 1,
  source: { kind: "summary", sql },
});
const timeseries = (s: Omit<InsightSeries, "source" | "metric">, metric: string): InsightSeries => ({ ...s, metric, source: { kind: "timeseries", metric } });

/** Domain → its series. A domain with several series gets one insight over all of them. */
export const INSIGHT_DOMAINS: Record<string, readonly InsightSeries[]> = {
  activity: [
    summary(
      { metric: "activity", subject: "activity", label: "daily steps", unit: "steps", higherIsBetter: true },
      "select s.date, s.steps::float8 as v, s.provider from activity_summaries s where s.steps is not null",
    ),
  ],
  sleep: [
    summary(
      { metric: "sleep", subject: "sleep", label: "nightly sleep", unit: "hours", higherIsBetter: true },
      "select s.date, s.duration_seconds / 3600.0 as v, s.provider from sleep_summaries s where true",
    ),
  ],
  body: [
    summary(
      { metric: "body", subject: "body", label: "weight", unit: "kg", higherIsBetter: false },
      "select s.date, s.weight_kg as v, s.provider from body_measurements s where s.weight_kg is not null",
    ),
  ],
  // Daily means of the intraday samples. A lower all-day heart rate and a higher HRV are the usual
  // signs of better fitness and recovery; a 3% heart-rate change is about 2 bpm.
  vitals: [
    timeseries({ subject: "heart rate", label: "heart rate", unit: "bpm", higherIsBetter: false, tolerancePct: 3 }, "heart_rate"),
    timeseries({ subject: "heart rate variability", label: "heart rate variability", unit: "ms", higherIsBetter: true, tolerancePct: 5 }, "hrv"),
    // Daily mean glucose: lower is better within a wellness range (no diagnosis); 3% is about 3 mg/dL.
    timeseries({ subject: "glucose", label: "glucose", unit: "mg/dL", higherIsBetter: false, tolerancePct: 3 }, "glucose"),
  ],
};

/** Slug → domain, and (for a domain with several series) the one series its key findings are filtered to. */
export const INSIGHT_ALIASES: Record<string, { domain: string; focus?: string }> = {
  steps: { domain: "activity" },
  weight: { domain: "body" },
  sleep_duration: { domain: "sleep" },
  heart_rate: { domain: "vitals", focus: "heart_rate" },
  hrv: { domain: "vitals", focus: "hrv" },
  glucose: { domain: "vitals", focus: "glucose" },
};

/** The `(date, v, provider)` rows of one series for one member and window; `?` placeholders in order. */
export function dailyRows(series: InsightSeries, w: DailyWindow): { sql: string; params: unknown[] } {
  if (series.source.kind === "summary") {
    return { sql: `${series.source.sql} and s.user_id = ? and s.date between ?::date and ?::date`, params: [w.userId, w.from, w.to] };
  }
  const metric = timeseriesMetric(series.source.metric)!;
  const value = metric.aggregate === "avg" ? "sum(x.total) / sum(x.n)" : "sum(x.total)";
  const hourMs = 3_600_000;
  const hours = [w.userId, metric.slug, new Date(Math.floor(w.fromInstant.getTime() / hourMs) * hourMs), w.toInstant, w.timezone];
  // From the hourly rollup: an hour that starts on a local whole hour lies within one local day. In
  // zones with a half-hour offset (or on such a date) an hour can straddle midnight, so those hours
  // are split by their samples (one index probe per hour).
  return {
    sql: `select x.date, ${value} as v, x.provider from (
            select (h.hour at time zone ?)::date as date, h.provider, h.value_sum as total, h.sample_count as n
              from timeseries_hourly h
             where h.user_id = ? and h.metric = ? and h.hour >= ? and h.hour < ? and extract(minute from h.hour at time zone ?) = 0
            union all
            select (s.ts at time zone ?)::date, s.provider, s.value, 1
              from timeseries_hourly h
              join timeseries_samples s on s.user_id = h.user_id and s.metric = h.metric and s.provider = h.provider
                                       and s.ts >= h.hour and s.ts < h.hour + interval '1 hour'
             where h.user_id = ? and h.metric = ? and h.hour >= ? and h.hour < ? and extract(minute from h.hour at time zone ?) <> 0
          ) x
          where x.date between ?::date and ?::date
          group by x.date, x.provider`,
    params: [w.timezone, ...hours, w.timezone, ...hours, w.from, w.to],
  };
}
