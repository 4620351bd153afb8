import { Arg, Args, Ctx, Mutation, Query, Resolver } from "type-graphql";
import { UUIDScalar } from "../../schema/_shared/scalars";
import { TimeseriesArgs, TimeseriesBatchInput } from "../../schema/metrics/timeseries.input";
import { TimeseriesIngestResultType, TimeseriesPointUnion } from "../../schema/metrics/timeseries.type";
import type { Context } from "../_shared/context";

@Resolver()
export class TimeseriesResolver {
  @Query(() => [TimeseriesPointUnion], {
    description:
      "Intraday samples (granularity raw) or buckets of one metric in [startTime, endTime), ordered by start. " +
      "Metrics: heart_rate, hrv, steps, calories, glucose, blood_pressure, respiratory_rate, temperature; any other → not_found.",
  })
  timeseries(
    @Arg("userId", () => UUIDScalar) userId: string,
    @Arg("metric", () => String) metric: string,
    @Args(() => TimeseriesArgs) args: TimeseriesArgs,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.timeseries.read(userId, metric, args);
  }

  @Mutation(() => TimeseriesIngestResultType, {
    description:
      "Ingest up to 5,000 samples of one metric. A sample for an instant (or client_id) already stored is updated when it differs " +
      "and counted as duplicate when identical; invalid samples are listed in `rejected` and do not fail the batch.",
  })
  ingestTimeseries(
    @Arg("userId", () => UUIDScalar) userId: string,
    @Arg("metric", () => String) metric: string,
    @Arg("input", () => TimeseriesBatchInput) input: TimeseriesBatchInput,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.timeseries.ingest(userId, metric, input);
  }
}
