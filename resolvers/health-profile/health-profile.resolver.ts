import { Arg, Ctx, Query, Resolver } from "type-graphql";
import { HealthProfileType } from "../../schema/health-profile/health-profile.type";
import { UUIDScalar } from "../../schema/_shared/scalars";
import type { Context } from "../_shared/context";

@Resolver(() => HealthProfileType)
export class HealthProfileResolver {
  @Query(() => HealthProfileType, { description: "Consolidated dashboard read: profile, location, privacy, connected devices." })
  healthProfile(@Arg("userId", () => UUIDScalar) userId: string, @Ctx() ctx: Context) {
    return ctx.services.healthProfile.get(userId);
  }
}
