import { Arg, Ctx, Mutation, Query, Resolver } from "type-graphql";
import { PrivacySettingsType, UpdatePrivacySettingsInput } from "../../schema/privacy/privacy-settings.type";
import { UUIDScalar } from "../../schema/_shared/scalars";
import type { Context } from "../_shared/context";

@Resolver(() => PrivacySettingsType)
export class PrivacyResolver {
  @Query(() => PrivacySettingsType)
  privacySettings(@Arg("userId", () => UUIDScalar) userId: string, @Ctx() ctx: Context) {
    return ctx.services.privacy.get(userId);
  }

  @Mutation(() => PrivacySettingsType, { description: "Partial update; omitted fields are unchanged." })
  updatePrivacySettings(
    @Arg("userId", () => UUIDScalar) userId: string,
    @Arg("input", () => UpdatePrivacySettingsInput) input: UpdatePrivacySettingsInput,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.privacy.update(userId, input);
  }
}
