import { DateTime } from "luxon";
import { InsightTimeRange, type MetricInsightType } from "../../schema/metrics/insight.type";
import type { InsightFacts } from "../_shared/ai/provider";
import type { Context } from "../_shared/context";
import { notFound, validationError } from "../_shared/errors";
import { sourceRankSql } from "./source-priority";

const RANGE_DAYS: Record<InsightTimeRange, number> = { week: 7, month: 30, quarter: 90, year: 365 };

/** Metric (domain or slug) → the daily series the insight is computed from. */
const SERIES: Record<string, { domain: string; label: string; unit: string; sql: string; higherIsBetter: boolean }> = {
  activity: { domain: "activity", label: "daily steps", unit: "steps", higherIsBetter: true, sql: "select s.date, s.steps::float8 as v, s.provider from activity_summaries s where s.steps is not null" },
  sleep: { domain: "sleep", label: "nightly sleep", unit: "hours", higherIsBetter: true, sql: "select s.date, s.duration_seconds / 3600.0 as v, s.provider from sleep_summaries s where true" },
  body: { domain: "body", label: "weight", unit: "kg", higherIsBetter: false, sql: "select s.date, s.weight_kg as v, s.provider from body_measurements s where s.weight_kg is not null" },
};
const ALIASES: Record<string, string> = { steps: "activity", weight: "body", sleep_duration: "sleep" };

/** The deterministic insight engine: numbers from the member's own days; words via the AI provider. */
export class InsightsService {
  constructor(private readonly ctx: Context) {}

  async get(userId: string, metric: string, timeRange: InsightTimeRange, language: string): Promise<MetricInsightType> {
    const user = await this.ctx.services.users.requireMember(userId);
    const key = ALIASES[metric] ?? metric;
    const series = SERIES[key];
    if (!series) throw notFound("Metric");
    if (!/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/.test(language)) throw validationError([{ field: "language", code: "invalid_value", message: "must be a BCP-47 language tag" }]);
    const days = RANGE_DAYS[timeRange];
    const today = DateTime.fromJSDate(this.ctx.deps.now(), { zone: user.timezone || "UTC" }).startOf("day");
    const start = today.minus({ days: days - 1 });
    const baselineStart = start.minus({ days });
    const rows = await this.ctx.em.execute<{ date: string; v: number }[]>(
      `with daily as (
         select x.date, avg(x.v) as v from (
           select d.*, dense_rank() over (partition by d.date order by ${sourceRankSql("d")}) as r
             from (${series.sql} and s.user_id = ? and s.date between ?::date and ?::date) d) x
          where x.r = 1 group by x.date)
       select date::text as date, v::float8 as v from daily order by date`,
      [JSON.stringify(this.ctx.deps.config.metricSourcePriority), user.id, baselineStart.toISODate(), today.toISODate()],
    );
    const current = rows.filter((r) => r.date >= start.toISODate()!).map((r) => Number(r.v));
    const baseline = rows.filter((r) => r.date < start.toISODate()!).map((r) => Number(r.v));
    const facts = buildFacts(key, series, timeRange, days, current, baseline);
    const text = await this.ctx.deps.ai.writeInsight(facts, language);
    return {
      metric, timeRange, headline: text.headline, narrative: text.narrative, keyFindings: facts.findings, recommendations: text.recommendations,
      daysWithData: facts.daysWithData, generatedAt: this.ctx.deps.now(), modelVersion: text.modelVersion,
    };
  }
}

const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
function percentile(xs: number[], p: number): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const i = (s.length - 1) * p;
  return s[Math.floor(i)]! + (s[Math.ceil(i)]! - s[Math.floor(i)]!) * (i - Math.floor(i));
}

/** Pure: trend vs baseline, typical range and consistency of the member's own days. */
export function buildFacts(
  metric: string, series: { label: string; unit: string; higherIsBetter: boolean; domain: string }, timeRange: string, days: number,
  current: number[], baseline: number[],
): InsightFacts {
  const avg = mean(current);
  const base = mean(baseline);
  const digits = series.unit === "steps" ? 0 : 1;
  if (avg === null) {
    return {
      metric, timeRange, days, daysWithData: 0, findings: [],
      headline: `No ${series.label} data for this ${timeRange} yet`,
      narrative: `There is no ${series.label} data for the last ${days} days, so there is nothing to compare yet.`,
      suggestions: [`Connect a device or sync ${series.domain} data to see insights here.`],
    };
  }
  const change = base !== null && base !== 0 ? round(((avg - base) / base) * 100) : null;
  const findings: InsightFacts["findings"] = [
    { metric, statement: `Average ${series.label}: ${round(avg, digits)} ${series.unit}`, value: round(avg, digits), unit: series.unit, baselineValue: base === null ? null : round(base, digits), changePct: change },
  ];
  const p25 = percentile(current, 0.25)!;
  const p75 = percentile(current, 0.75)!;
  findings.push({ metric, statement: `Typical range: ${round(p25, digits)}–${round(p75, digits)} ${series.unit} (middle half of days)`, value: round(p75 - p25, digits), unit: series.unit, baselineValue: null, changePct: null });
  findings.push({ metric, statement: `${current.length} of ${days} days have data`, value: current.length, unit: "days", baselineValue: baseline.length, changePct: null });
  const improving = change !== null && (series.higherIsBetter ? change > 5 : change < -1);
  const slipping = change !== null && (series.higherIsBetter ? change < -5 : change > 1);
  const trend = change === null ? "with no earlier period to compare" : improving ? `up ${Math.abs(change)}% on the previous ${timeRange}` : slipping ? `${change > 0 ? "up" : "down"} ${Math.abs(change)}% on the previous ${timeRange}` : `steady against the previous ${timeRange}`;
  const headline = change === null ? `Your ${series.label} averaged ${round(avg, digits)} ${series.unit}` : improving ? `Your ${series.label} is improving` : slipping ? `Your ${series.label} slipped this ${timeRange}` : `Your ${series.label} is steady`;
  const suggestions: string[] = [];
  if (current.length < days * 0.6) suggestions.push(`Track ${series.domain} on more days: ${current.length} of ${days} days have data.`);
  if (slipping) suggestions.push(series.higherIsBetter ? `Aim to get back toward ${round(base!, digits)} ${series.unit}, your previous ${timeRange}'s average.` : `Keep an eye on the trend; your previous ${timeRange} averaged ${round(base!, digits)} ${series.unit}.`);
  if (p75 - p25 > (avg || 1) * 0.4) suggestions.push(`Your days vary a lot (${round(p25, digits)}–${round(p75, digits)} ${series.unit}); a steadier routine helps.`);
  if (!suggestions.length) suggestions.push(`Keep it up: your ${series.label} is consistent.`);
  return {
    metric, timeRange, days, daysWithData: current.length, findings, headline, suggestions,
    narrative: `Over the last ${days} days your ${series.label} averaged ${round(avg, digits)} ${series.unit}, ${trend}. Half of your days fell between ${round(p25, digits)} and ${round(p75, digits)} ${series.unit}.`,
  };
}
