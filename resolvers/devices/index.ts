export { DEVICE_JOB_TYPES, registerDeviceJobs } from "./device-jobs";
export { purgeExpiredDeviceLinks } from "./device-links.service";
export { REAUTHORIZATION_REQUIRED, freshAccessToken, type AccessTokenOutcome } from "./device-tokens";
export { createDeviceLoaders, type DeviceLoaders } from "./devices.loaders";
export { DevicesResolver } from "./devices.resolver";
export { DevicesService } from "./devices.service";
export { PROVIDER_DATA_TABLES, purgeProviderData } from "./provider-data";
export { DEVICE_PROVIDERS, findProvider, type DeviceProvider } from "./providers";
export { UserDevicesResolver } from "./user-devices.resolver";
