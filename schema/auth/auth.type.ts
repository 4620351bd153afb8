import { IsInt, Max, Min } from "class-validator";
import { Field, InputType, Int, ObjectType } from "type-graphql";
import { DateTimeScalar, UUIDScalar } from "../_shared/scalars";

export const MAX_GRACE_SECONDS = 7 * 24 * 3600;

@InputType("IssueTokenInput")
export class IssueTokenInput {
  @Field(() => UUIDScalar) userId!: string;
}

@ObjectType("MemberToken", { description: "A signed member bearer token (JWT). Renew when under ~60 s remain." })
export class MemberTokenType {
  @Field() accessToken!: string;
  @Field({ description: 'Always "Bearer".' }) tokenType!: string;
  @Field(() => Int, { description: "Seconds until expiry (3600)." }) expiresIn!: number;
}

@InputType("RotateTenantKeyInput")
export class RotateTenantKeyInput {
  @Field(() => Int, { nullable: true, description: "How long the previous key keeps working, in seconds (default 86400, max 604800)." })
  @IsInt()
  @Min(0)
  @Max(MAX_GRACE_SECONDS)
  gracePeriodSeconds?: number | null;
}

@ObjectType("TenantKeyRotation")
export class TenantKeyRotationType {
  @Field({ description: "The new tenant API key. Shown exactly once." }) newTenantApiKey!: string;
  @Field(() => DateTimeScalar) previousKeyExpiresAt!: Date;
}

@InputType("RotateSigningSecretInput")
export class RotateSigningSecretInput {
  @Field(() => String, { nullable: true, description: "Your own secret: at least 32 bytes, base64 or hex. Omit to have one generated." })
  secret?: string | null;
  @Field(() => Int, { nullable: true, description: "How long the previous secret keeps signing, in seconds (default 86400, max 604800)." })
  @IsInt()
  @Min(0)
  @Max(MAX_GRACE_SECONDS)
  gracePeriodSeconds?: number | null;
}

@ObjectType("SigningSecretRotation")
export class SigningSecretRotationType {
  @Field(() => DateTimeScalar) signingSecretRotatedAt!: Date;
  @Field(() => DateTimeScalar) previousSecretExpiresAt!: Date;
  @Field(() => String, { nullable: true, description: "The generated secret, returned once; null when you supplied your own." })
  secret?: string | null;
}
