import { registerEnumType } from "type-graphql";
import { BackfillStatus, DeviceConnectionStatus } from "../../entities/devices/device-connection.entity";

export enum DeviceAuthType {
  oauth = "oauth",
  credentials = "credentials",
  native = "native",
}

export enum NativePlatform {
  apple_health_kit = "apple_health_kit",
  health_connect = "health_connect",
}

export enum DeviceLinkOutcome {
  connected = "connected",
  error = "error",
}

registerEnumType(DeviceAuthType, {
  name: "DeviceAuthType",
  description: "How a member links the provider.",
  valuesConfig: {
    oauth: { description: "The member consents on the provider's site: link token → oauth-url → callback." },
    credentials: { description: "The member signs in with provider account credentials through a hosted link UI (not offered by this deployment yet)." },
    native: { description: "Read on the phone by your app (HealthKit, Health Connect): register with devices/actions/register." },
  },
});
registerEnumType(NativePlatform, { name: "NativePlatform", description: "A phone health platform your app reads natively." });
registerEnumType(DeviceConnectionStatus, {
  name: "DeviceConnectionStatus",
  valuesConfig: {
    connected: { description: "Linked and syncing." },
    error: { description: "Credentials are broken (e.g. revoked at the provider): prompt the member to reconnect." },
    disconnected: { description: "Not linked." },
    pending: { description: "Linking has started but is not complete." },
  },
});
registerEnumType(BackfillStatus, { name: "BackfillStatus", description: "Progress of the historical import started when a provider is linked." });
registerEnumType(DeviceLinkOutcome, { name: "DeviceLinkOutcome", description: "The result of an OAuth callback." });

export { BackfillStatus, DeviceConnectionStatus };
