import { Field, ObjectType } from "type-graphql";
import { PageType } from "../_shared/pagination";
import { DateTimeScalar, JSONScalar } from "../_shared/scalars";
import { BackfillStatus, DeviceAuthType, DeviceConnectionStatus, DeviceLinkOutcome } from "./devices.enum";

@ObjectType("DeviceProvider", { description: "A provider members can link. The catalogue is static and cacheable." })
export class DeviceProviderType {
  @Field({ description: "Stable provider id used in every device route." }) slug!: string;
  @Field() name!: string;
  @Field(() => String, { nullable: true, description: "Logo URL (none hosted yet: null)." }) logo!: string | null;
  @Field() description!: string;
  @Field(() => DeviceAuthType) authType!: DeviceAuthType;
  @Field(() => [String], { description: "Canonical metric slugs the provider can deliver." }) supportedResources!: readonly string[];
}

@ObjectType("DeviceProviderPage")
export class DeviceProviderPageType extends PageType(DeviceProviderType) {}

@ObjectType("Device", { description: "One of the member's provider links." })
export class DeviceType {
  @Field() providerSlug!: string;
  @Field({ description: "The provider's display name." }) deviceName!: string;
  @Field(() => DateTimeScalar, { nullable: true }) connectedAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) lastSyncAt!: Date | null;
  @Field(() => DeviceConnectionStatus) status!: DeviceConnectionStatus;
}

@ObjectType("DevicePage")
export class DevicePageType extends PageType(DeviceType) {}

@ObjectType("DeviceConnectionState")
export class DeviceConnectionStateType {
  @Field(() => DeviceConnectionStatus) status!: DeviceConnectionStatus;
  @Field(() => DateTimeScalar, { nullable: true }) connectedAt!: Date | null;
  @Field(() => String, { nullable: true, description: "Why the connection is in `error`." }) error!: string | null;
}

@ObjectType("DeviceBackfill")
export class DeviceBackfillType {
  @Field(() => BackfillStatus, { nullable: true, description: "Null when no backfill was ever started (not linked)." })
  status!: BackfillStatus | null;
  @Field(() => DateTimeScalar, { nullable: true }) startedAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) completedAt!: Date | null;
  @Field(() => String, { nullable: true }) error!: string | null;
}

@ObjectType("DeviceDataFreshness")
export class DeviceDataFreshnessType {
  @Field(() => DateTimeScalar, { nullable: true }) lastDataReceivedAt!: Date | null;
  @Field(() => JSONScalar, {
    description:
      "Per supported resource slug: `{status: available | stale | unavailable, last_data_at}`. " +
      "`unavailable` with a null `last_data_at` until data from this provider has been received.",
  })
  byResource!: Record<string, { status: string; last_data_at: string | null }>;
}

@ObjectType("DeviceStatus", { description: "One provider's link, backfill and data freshness for the member." })
export class DeviceStatusType {
  @Field() slug!: string;
  @Field() name!: string;
  @Field(() => DeviceConnectionStateType) connection!: DeviceConnectionStateType;
  @Field(() => DeviceBackfillType) backfill!: DeviceBackfillType;
  @Field(() => DeviceDataFreshnessType) dataFreshness!: DeviceDataFreshnessType;
}

@ObjectType("DeviceLinkToken", { description: "A short-lived, single-use token that starts one provider's OAuth flow for one member." })
export class DeviceLinkTokenType {
  @Field({ description: "Pass as `link_token` to GET /v1/devices/{provider_slug}/oauth-url. Shown only here." }) token!: string;
  @Field(() => DateTimeScalar) expiresAt!: Date;
}

@ObjectType("DeviceOAuthUrl")
export class DeviceOAuthUrlType {
  @Field({ description: "The provider's authorization URL (with state and PKCE); navigate the member there." }) oauthUrl!: string;
}

@ObjectType("DeviceOAuthResult", { description: "Outcome of the provider's redirect back to the API." })
export class DeviceOAuthResultType {
  @Field(() => DeviceLinkOutcome) status!: DeviceLinkOutcome;
  @Field() providerSlug!: string;
  @Field({ description: "The link token's redirect_uri with `status`, `provider` (and `error`) appended: send the member there." })
  redirectTo!: string;
}

@ObjectType("NativeDeviceRegistration")
export class NativeDeviceRegistrationType {
  @Field() providerSlug!: string;
  @Field({ description: "Opaque, stable id of this member's link to the provider (not the member's user_id)." }) healthDataUserId!: string;
  @Field(() => BackfillStatus) backfillStatus!: BackfillStatus;
}
