import { Arg, Args, Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { User } from "../../entities/users/user.entity";
import { ActivitySummaryType, SleepSummaryType, SummaryKind } from "../../schema/metrics/summary.type";
import { TimeseriesArgs } from "../../schema/metrics/timeseries.input";
import { TimeseriesPointUnion } from "../../schema/metrics/timeseries.type";
import { UserType } from "../../schema/users/user.type";
import type { Context } from "../_shared/context";

/** Metrics fields on User: owned by the metrics domain, batched across users by loaders. */
@Resolver(() => UserType)
export class UserMetricsResolver {
  @FieldResolver(() => ActivitySummaryType, { nullable: true, description: "The latest daily activity (winning source)." })
  latestActivitySummary(@Root() user: User, @Ctx() ctx: Context) {
    return ctx.services.summaries.latest(SummaryKind.activity).load(user.id);
  }

  @FieldResolver(() => SleepSummaryType, { nullable: true, description: "The latest night (winning source)." })
  latestSleepSummary(@Root() user: User, @Ctx() ctx: Context) {
    return ctx.services.summaries.latest(SummaryKind.sleep).load(user.id);
  }

  @FieldResolver(() => [TimeseriesPointUnion], {
    description: "Samples or buckets of one metric in [startTime, endTime), as `Query.timeseries` (one read per member: keep the member list short).",
  })
  timeseries(@Root() user: User, @Arg("metric", () => String) metric: string, @Args(() => TimeseriesArgs) args: TimeseriesArgs, @Ctx() ctx: Context) {
    return ctx.services.timeseries.read(user.partnerUserId, metric, args);
  }
}
