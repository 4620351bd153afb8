import { MaxLength } from "class-validator";
import { ArgsType, Field, InputType } from "type-graphql";
import { NativePlatform } from "./devices.enum";

@InputType("CreateDeviceLinkTokenInput")
export class CreateDeviceLinkTokenInput {
  @Field({ description: "An OAuth provider's slug (see GET /v1/devices)." })
  @MaxLength(64)
  providerSlug!: string;

  @Field({ description: "Absolute URL (https, http or your app's scheme) the member returns to after linking." })
  @MaxLength(2000)
  redirectUri!: string;
}

@InputType("RegisterNativeDeviceInput")
export class RegisterNativeDeviceInput {
  @Field(() => NativePlatform) platform!: NativePlatform;
}

/** The provider's redirect to the callback (RFC 6749 §4.1.2; `iss` per RFC 9207). */
@ArgsType()
export class DeviceOAuthCallbackArgs {
  @Field({ description: "The `state` from the authorization URL." }) @MaxLength(200) state!: string;
  @Field(() => String, { nullable: true, description: "The authorization code (absent when the member declined)." })
  @MaxLength(4096)
  code?: string | null;
  @Field(() => String, { nullable: true }) @MaxLength(200) error?: string | null;
  @Field(() => String, { nullable: true }) @MaxLength(2000) errorDescription?: string | null;
  @Field(() => String, { nullable: true }) @MaxLength(2000) errorUri?: string | null;
  @Field(() => String, { nullable: true }) @MaxLength(2000) iss?: string | null;
  @Field(() => String, { nullable: true }) @MaxLength(2000) scope?: string | null;
}
