import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { User } from "../../entities/users/user.entity";
import { ActivitySummaryType, SleepSummaryType, SummaryKind } from "../../schema/metrics/summary.type";
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
}
