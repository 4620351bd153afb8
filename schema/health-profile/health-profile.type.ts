import { Field, ObjectType } from "type-graphql";
import { PrivacySettingsType } from "../privacy/privacy-settings.type";
import { UUIDScalar } from "../_shared/scalars";
import { UserProfileType } from "../users/user.type";

@ObjectType("Location", { description: "Coarse location." })
export class LocationType {
  @Field(() => String, { nullable: true }) city?: string | null;
  @Field(() => String, { nullable: true }) state?: string | null;
  @Field(() => String, { nullable: true }) country?: string | null;
}

@ObjectType("ConnectedDevice")
export class ConnectedDeviceType {
  @Field() providerSlug!: string;
  @Field() status!: string;
}

@ObjectType("HealthProfile", { description: "Consolidated dashboard read of a member." })
export class HealthProfileType {
  @Field(() => UUIDScalar) userId!: string;
  @Field(() => UserProfileType) profile!: UserProfileType;
  @Field(() => LocationType, { nullable: true }) location?: LocationType | null;
  @Field(() => PrivacySettingsType) privacy!: PrivacySettingsType;
  @Field(() => [ConnectedDeviceType]) connectedDevices!: ConnectedDeviceType[];
}
