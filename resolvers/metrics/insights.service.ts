import { DateTime } from "luxon";
import { InsightTimeRange, type MetricInsightType } from "../../schema/metrics/insight.type";
import type { InsightFacts } from "../_shared/ai/provider";
import type { Context } from "../_shared/context";
import { notFound, validationError } from "../_shared/errors";
import { INSIGHT_ALIASES, INSIGHT_DOMAINS, dailyRows, type DailyWindow, type InsightSeries } from "./insights.series";
import { sourceRankSql } from "./source-priority";

const RANGE_DAYS: Record<InsightTimeRange, number> = { week: 7, month: 30, quarter: 90, year: 365 };

/** The deterministic insight engine: numbers from the member's own days; words via the AI provider. */
export class InsightsService {
  constructor(private readonly ctx: Context) {}

  /**
   * `metric` is a domain (activity, sleep, body, vitals) or a slug (steps, weight, sleep_duration,
   * heart_rate, hrv). A domain with several series (vitals) is one insight over all of them; a slug
   * of such a domain keeps the domain's narrative and recommendations and only its own findings.
   */
  async get(userId: string, metric: string, timeRange: InsightTimeRange, language: string): Promise<MetricInsightType> {
    const user = await this.ctx.services.users.requireMember(userId);
    const { domain, focus } = INSIGHT_ALIASES[metric] ?? { domain: metric };
    const seriesList = INSIGHT_DOMAINS[domain];
    if (!seriesList) throw notFound("Metric");
    if (!/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/.test(language))
      throw validationError([{ field: "language", code: "invalid_value", message: "must be a BCP-47 language tag" }]);
    const days = RANGE_DAYS[timeRange];
    const timezone = user.timezone || "UTC";
    const today = DateTime.fromJSDate(this.ctx.deps.now(), { zone: timezone }).startOf("day");
    const start = today.minus({ days: days - 1 });
    const baselineStart = start.minus({ days });
    const window: DailyWindow = {
      userId: user.id,
      timezone,
      from: baselineStart.toISODate()!,
      to: today.toISODate()!,
      fromInstant: baselineStart.toJSDate(),
      toInstant: today.plus({ days: 1 }).toJSDate(),
    };
    const parts: { series: InsightSeries; facts: InsightFacts; dates: string[] }[] = [];
    for (const series of seriesList) {
      const rows = await this.winningDays(series, window);
      const current = rows.filter((r) => r.date >= start.toISODate()!);
      const baseline = rows.filter((r) => r.date < start.toISODate()!).map((r) => Number(r.v));
      const facts = buildFacts(
        series.metric,
        series,
        timeRange,
        days,
        current.map((r) => Number(r.v)),
        baseline,
      );
      parts.push({ series, facts, dates: current.map((r) => r.date) });
    }
    const facts = parts.length === 1 ? parts[0].facts : combineFacts(domain, timeRange, days, parts, focus);
    const text = await this.ctx.deps.ai.writeInsight(facts, language);
    return {
      metric,
      timeRange,
      headline: text.headline,
      narrative: text.narrative,
      keyFindings: facts.findings,
      recommendations: text.recommendations,
      daysWithData: facts.daysWithData,
      generatedAt: this.ctx.deps.now(),
      modelVersion: text.modelVersion,
    };
  }

  /** One value per local date: the highest-priority provider's (METRIC_SOURCE_PRIORITY), ascending by date. */
  private winningDays(series: InsightSeries, window: DailyWindow) {
    const source = dailyRows(series, window);
    return this.ctx.em.execute<{ date: string; v: number }[]>(
      `with daily as (
         select x.date, avg(x.v) as v from (
           select d.*, dense_rank() over (partition by d.date order by ${sourceRankSql("d")}) as r
             from (${source.sql}) d) x
          where x.r = 1 group by x.date)
       select date::text as date, v::float8 as v from daily order by date`,
      [JSON.stringify(this.ctx.deps.config.metricSourcePriority), ...source.params],
    );
  }
}

const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
function percentile(xs: number[], p: number): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const i = (s.length - 1) * p;
  return s[Math.floor(i)] + (s[Math.ceil(i)] - s[Math.floor(i)]) * (i - Math.floor(i));
}

/** Pure: trend vs baseline, typical range and consistency of the member's own days. */
export function buildFacts(
  metric: string,
  series: { label: string; unit: string; higherIsBetter: boolean; subject: string; tolerancePct?: number },
  timeRange: string,
  days: number,
  current: number[],
  baseline: number[],
): InsightFacts {
  const tolerance = series.tolerancePct ?? (series.higherIsBetter ? 5 : 1);
  const avg = mean(current);
  const base = mean(baseline);
  const digits = series.unit === "steps" ? 0 : 1;
  if (avg === null) {
    return {
      metric,
      timeRange,
      days,
      daysWithData: 0,
      findings: [],
      headline: `No ${series.label} data for this ${timeRange} yet`,
      narrative: `There is no ${series.label} data for the last ${days} days, so there is nothing to compare yet.`,
      suggestions: [`Connect a device or sync ${series.subject} data to see insights here.`],
    };
  }
  const change = base !== null && base !== 0 ? round(((avg - base) / base) * 100) : null;
  const findings: InsightFacts["findings"] = [
    {
      metric,
      statement: `Average ${series.label}: ${round(avg, digits)} ${series.unit}`,
      value: round(avg, digits),
      unit: series.unit,
      baselineValue: base === null ? null : round(base, digits),
      changePct: change,
    },
  ];
  const p25 = percentile(current, 0.25)!;
  const p75 = percentile(current, 0.75)!;
  findings.push({
    metric,
    statement: `Typical range: ${round(p25, digits)}–${round(p75, digits)} ${series.unit} (middle half of days)`,
    value: round(p75 - p25, digits),
    unit: series.unit,
    baselineValue: null,
    changePct: null,
  });
  findings.push({
    metric,
    statement: `${current.length} of ${days} days have data`,
    value: current.length,
    unit: "days",
    baselineValue: baseline.length,
    changePct: null,
  });
  const improving = change !== null && (series.higherIsBetter ? change > tolerance : change < -tolerance);
  const slipping = change !== null && (series.higherIsBetter ? change < -tolerance : change > tolerance);
  const trend =
    change === null
      ? "with no earlier period to compare"
      : improving || slipping
        ? `${change > 0 ? "up" : "down"} ${Math.abs(change)}% on the previous ${timeRange}`
        : `steady against the previous ${timeRange}`;
  const headline =
    change === null
      ? `Your ${series.label} averaged ${round(avg, digits)} ${series.unit}`
      : improving
        ? `Your ${series.label} is improving`
        : slipping
          ? `Your ${series.label} slipped this ${timeRange}`
          : `Your ${series.label} is steady`;
  const suggestions: string[] = [];
  if (current.length < days * 0.6) suggestions.push(`Track ${series.subject} on more days: ${current.length} of ${days} days have data.`);
  if (slipping)
    suggestions.push(
      series.higherIsBetter
        ? `Aim to get back toward ${round(base!, digits)} ${series.unit}, your previous ${timeRange}'s average.`
        : `Keep an eye on the trend; your previous ${timeRange} averaged ${round(base!, digits)} ${series.unit}.`,
    );
  if (p75 - p25 > (avg || 1) * 0.4) suggestions.push(`Your days vary a lot (${round(p25, digits)}–${round(p75, digits)} ${series.unit}); a steadier routine helps.`);
  if (!suggestions.length) suggestions.push(`Keep it up: your ${series.label} is consistent.`);
  return {
    metric,
    timeRange,
    days,
    daysWithData: current.length,
    findings,
    headline,
    suggestions,
    narrative: `Over the last ${days} days your ${series.label} averaged ${round(avg, digits)} ${series.unit}, ${trend}. Half of your days fell between ${round(p25, digits)} and ${round(p75, digits)} ${series.unit}.`,
  };
}

/**
 * Pure: one insight over a domain's several series. The narrative and recommendations describe the
 * whole domain; with `focus` (a slug such as heart_rate) the headline, key findings and days with
 * data are that series' only.
 */
export function combineFacts(
  domain: string,
  timeRange: string,
  days: number,
  parts: { series: { metric: string }; facts: InsightFacts; dates: string[] }[],
  focus?: string,
): InsightFacts {
  const withData = parts.filter((p) => p.facts.daysWithData > 0);
  const focused = focus ? parts.find((p) => p.series.metric === focus) : undefined;
  const lower = (h: string) => h.replace(/^Your /, "your ");
  const headline = focused
    ? focused.facts.headline
    : withData.length
      ? withData.map((p, i) => (i === 0 ? p.facts.headline : lower(p.facts.headline))).join(" and ")
      : `No ${domain} data for this ${timeRange} yet`;
  return {
    metric: focus ?? domain,
    timeRange,
    days,
    daysWithData: focused ? focused.facts.daysWithData : new Set(parts.flatMap((p) => p.dates)).size,
    findings: parts.filter((p) => !focused || p === focused).flatMap((p) => p.facts.findings),
    headline,
    narrative: parts.map((p) => p.facts.narrative).join(" "),
    suggestions: [...new Set(parts.flatMap((p) => p.facts.suggestions))],
  };
}
