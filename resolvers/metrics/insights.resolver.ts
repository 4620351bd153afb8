import { Arg, Ctx, Query, Resolver } from "type-graphql";
import { InsightTimeRange, MetricInsightType } from "../../schema/metrics/insight.type";
import { UUIDScalar } from "../../schema/_shared/scalars";
import type { Context } from "../_shared/context";

@Resolver()
export class InsightsResolver {
  @Query(() => MetricInsightType, {
    description:
      "Insight for a domain (activity, sleep, body, vitals) or slug (steps, weight, heart_rate, hrv, glucose) over a time range, from the member's own data. " +
      "vitals covers heart_rate, hrv and glucose (daily means of the timeseries); a slug of it keeps the domain's narrative and only its own key findings.",
  })
  metricInsight(
    @Arg("userId", () => UUIDScalar) userId: string,
    @Arg("metric") metric: string,
    @Arg("timeRange", () => InsightTimeRange, { defaultValue: InsightTimeRange.month }) timeRange: InsightTimeRange,
    @Arg("language", { defaultValue: "en" }) language: string,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.insights.get(userId, metric, timeRange, language);
  }
}
