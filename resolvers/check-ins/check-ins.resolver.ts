import { Arg, Args, Ctx, Mutation, Query, Resolver } from "type-graphql";
import { CreateDailyCheckInInput, DailyCheckInPageType, DailyCheckInsArgs, DailyCheckInType } from "../../schema/check-ins/daily-check-in.type";
import { UUIDScalar } from "../../schema/_shared/scalars";
import type { Context } from "../_shared/context";

@Resolver(() => DailyCheckInType)
export class CheckInsResolver {
  @Mutation(() => DailyCheckInType, { description: "One check-in per local date; a second for the same date fails with duplicate_check_in." })
  createDailyCheckIn(@Arg("userId", () => UUIDScalar) userId: string, @Arg("input", () => CreateDailyCheckInInput) input: CreateDailyCheckInInput, @Ctx() ctx: Context) {
    return ctx.services.checkIns.create(userId, input);
  }

  @Query(() => DailyCheckInPageType, { description: "Check-ins of an inclusive local-date window (default: the last 30 days), newest first, with streaks." })
  dailyCheckIns(@Arg("userId", () => UUIDScalar) userId: string, @Args(() => DailyCheckInsArgs) args: DailyCheckInsArgs, @Ctx() ctx: Context) {
    return ctx.services.checkIns.list(userId, args);
  }

  @Query(() => DailyCheckInType, { description: "One check-in; only the last 90 local days are reachable (older ones are not found)." })
  dailyCheckIn(@Arg("userId", () => UUIDScalar) userId: string, @Arg("checkInId", () => UUIDScalar) checkInId: string, @Ctx() ctx: Context) {
    return ctx.services.checkIns.get(userId, checkInId);
  }
}
