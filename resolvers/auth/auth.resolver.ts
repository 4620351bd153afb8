import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import {
  IssueTokenInput,
  MemberTokenType,
  RotateSigningSecretInput,
  RotateTenantKeyInput,
  SigningSecretRotationType,
  TenantKeyRotationType,
} from "../../schema/auth/auth.type";
import type { Context } from "../_shared/context";

@Resolver()
export class AuthResolver {
  @Mutation(() => MemberTokenType, { description: "Exchange the tenant key and one of your user_ids for a member bearer token. Tenant key." })
  issueToken(@Arg("input", () => IssueTokenInput) input: IssueTokenInput, @Ctx() ctx: Context) {
    return ctx.services.auth.issueToken(input);
  }

  @Mutation(() => TenantKeyRotationType, { description: "Issue a new tenant key; the calling key keeps working for the grace period. Tenant key." })
  rotateTenantKey(@Arg("input", () => RotateTenantKeyInput, { nullable: true }) input: RotateTenantKeyInput | null, @Ctx() ctx: Context) {
    return ctx.services.auth.rotateTenantKey(input);
  }

  @Mutation(() => SigningSecretRotationType, { description: "Rotate the event-signing secret; previous secrets keep signing for the grace window. Tenant key." })
  rotateSigningSecret(@Arg("input", () => RotateSigningSecretInput, { nullable: true }) input: RotateSigningSecretInput | null, @Ctx() ctx: Context) {
    return ctx.services.auth.rotateSigningSecret(input);
  }
}
