/**
 * The static provider catalogue (GET /v1/devices) and each OAuth provider's built-in client
 * configuration. Pure data: `server/config.ts` validates OAUTH_PROVIDERS_JSON against it.
 */

export type DeviceAuthKind = "oauth" | "credentials" | "native";

/** Canonical metric slugs a provider can deliver (the metrics domain's vocabulary). */
export type ResourceSlug = "activity" | "sleep" | "body" | "workouts" | "heart_rate" | "hrv" | "steps" | "calories" | "glucose";

export interface DeviceProvider {
  slug: string;
  name: string;
  /** No logo assets are hosted yet: null. */
  logo: string | null;
  description: string;
  authType: DeviceAuthKind;
  supportedResources: readonly ResourceSlug[];
}

/** How the client authenticates at the token and revocation endpoints. */
export type TokenAuthMethod = "client_secret_basic" | "client_secret_post";

/** One provider's OAuth 2 client configuration (built-in default merged with OAUTH_PROVIDERS_JSON). */
export interface OAuthProviderConfig {
  authorizationUrl: string;
  tokenUrl: string;
  /** RFC 7009 revocation endpoint; without one, disconnecting only deletes our copy of the tokens. */
  revocationUrl?: string;
  clientId?: string;
  clientSecret?: string;
  scopes: readonly string[];
  tokenAuthMethod: TokenAuthMethod;
  /** Withings joins scopes with commas instead of spaces. */
  scopeSeparator?: string;
  /** Extra form fields some token endpoints require (Withings: action=requesttoken). */
  extraTokenParams?: Readonly<Record<string, string>>;
  /**
   * The authorization server's issuer identifier (RFC 8414 `issuer`). When set, a callback whose
   * `iss` differs is rejected (RFC 9207 mix-up defence).
   */
  issuer?: string;
  /** RFC 9207 metadata: the provider always sends `iss`, so a callback without it is rejected (needs `issuer`). */
  authorizationResponseIssParameterSupported?: boolean;
  /** Base URL of the provider's data API (no trailing slash); set for the providers whose data is synced (provider-sync/). */
  apiBaseUrl?: string;
}

const ALL_WEARABLE: readonly ResourceSlug[] = ["activity", "sleep", "body", "workouts", "heart_rate", "hrv", "steps", "calories"];

export const DEVICE_PROVIDERS: readonly DeviceProvider[] = Object.freeze([
  {
    slug: "apple_health",
    name: "Apple Health",
    logo: null,
    authType: "native",
    supportedResources: ALL_WEARABLE,
    description: "HealthKit data from the member's iPhone and Apple Watch, read by your iOS app after the member grants permission.",
  },
  {
    slug: "health_connect",
    name: "Health Connect",
    logo: null,
    authType: "native",
    supportedResources: ALL_WEARABLE,
    description: "Android Health Connect data, read by your Android app after the member grants permission.",
  },
  {
    slug: "fitbit",
    name: "Fitbit",
    logo: null,
    authType: "oauth",
    supportedResources: ALL_WEARABLE,
    description: "Fitbit trackers and smartwatches through the Fitbit Web API.",
  },
  {
    slug: "garmin",
    name: "Garmin",
    logo: null,
    authType: "oauth",
    supportedResources: ALL_WEARABLE,
    description: "Garmin wearables and cycling computers through Garmin Connect.",
  },
  {
    slug: "oura",
    name: "Oura",
    logo: null,
    authType: "oauth",
    supportedResources: ["activity", "sleep", "workouts", "heart_rate", "hrv", "steps", "calories"],
    description: "Oura Ring sleep, readiness and activity data.",
  },
  {
    slug: "withings",
    name: "Withings",
    logo: null,
    authType: "oauth",
    supportedResources: ["activity", "sleep", "body", "workouts", "heart_rate", "steps", "calories"],
    description: "Withings scales, watches and sleep analyzers.",
  },
  {
    slug: "whoop",
    name: "WHOOP",
    logo: null,
    authType: "oauth",
    supportedResources: ["sleep", "body", "workouts", "heart_rate", "hrv", "calories"],
    description: "WHOOP strap recovery, strain and sleep data.",
  },
  {
    slug: "polar",
    name: "Polar",
    logo: null,
    authType: "oauth",
    supportedResources: ["activity", "sleep", "workouts", "heart_rate", "hrv", "steps", "calories"],
    description: "Polar watches and heart-rate sensors through Polar AccessLink.",
  },
  {
    slug: "freestyle_libre",
    name: "FreeStyle Libre",
    logo: null,
    authType: "credentials",
    supportedResources: ["glucose"],
    description: "Abbott FreeStyle Libre continuous glucose data through LibreView account credentials.",
  },
  {
    slug: "peloton",
    name: "Peloton",
    logo: null,
    authType: "credentials",
    supportedResources: ["workouts", "heart_rate", "calories"],
    description: "Peloton workouts through the member's Peloton account credentials.",
  },
] satisfies DeviceProvider[]);

const BY_SLUG = new Map(DEVICE_PROVIDERS.map((p) => [p.slug, p]));

export const findProvider = (slug: string): DeviceProvider | undefined => BY_SLUG.get(slug);

/** Native platforms (POST …/devices/actions/register) → their provider slug. */
export const NATIVE_PLATFORM_PROVIDERS = { apple_health_kit: "apple_health", health_connect: "health_connect" } as const;

/**
 * Built-in OAuth endpoints (the providers' public ones). No client credentials are built in: until
 * the operator supplies them in OAUTH_PROVIDERS_JSON, a provider reads as not configured.
 */
export const OAUTH_DEFAULTS: Readonly<Record<string, OAuthProviderConfig>> = Object.freeze({
  fitbit: {
    authorizationUrl: "https://www.fitbit.com/oauth2/authorize",
    tokenUrl: "https://api.fitbit.com/oauth2/token",
    revocationUrl: "https://api.fitbit.com/oauth2/revoke",
    apiBaseUrl: "https://api.fitbit.com",
    scopes: ["activity", "heartrate", "sleep", "weight", "profile"],
    tokenAuthMethod: "client_secret_basic",
  },
  garmin: {
    authorizationUrl: "https://connect.garmin.com/oauth2Confirm",
    tokenUrl: "https://diauth.garmin.com/di-oauth2-service/oauth/token",
    scopes: [],
    tokenAuthMethod: "client_secret_post",
  },
  oura: {
    authorizationUrl: "https://cloud.ouraring.com/oauth/authorize",
    tokenUrl: "https://api.ouraring.com/oauth/token",
    apiBaseUrl: "https://api.ouraring.com",
    scopes: ["personal", "daily", "heartrate", "workout", "session"],
    tokenAuthMethod: "client_secret_post",
  },
  withings: {
    authorizationUrl: "https://account.withings.com/oauth2_user/authorize2",
    tokenUrl: "https://wbsapi.withings.net/v2/oauth2",
    scopes: ["user.info", "user.metrics", "user.activity", "user.sleepevents"],
    scopeSeparator: ",",
    tokenAuthMethod: "client_secret_post",
    extraTokenParams: { action: "requesttoken" },
  },
  whoop: {
    authorizationUrl: "https://api.prod.whoop.com/oauth/oauth2/auth",
    tokenUrl: "https://api.prod.whoop.com/oauth/oauth2/token",
    scopes: ["offline", "read:profile", "read:recovery", "read:cycles", "read:sleep", "read:workout", "read:body_measurement"],
    tokenAuthMethod: "client_secret_post",
  },
  polar: {
    authorizationUrl: "https://flow.polar.com/oauth2/authorization",
    tokenUrl: "https://polarremote.com/v2/oauth2/token",
    scopes: ["accesslink.read_all"],
    tokenAuthMethod: "client_secret_basic",
  },
} satisfies Record<string, OAuthProviderConfig>);

/** The fields OAUTH_PROVIDERS_JSON may set per provider slug. */
export const OAUTH_OVERRIDE_FIELDS = [
  "authorizationUrl",
  "tokenUrl",
  "revocationUrl",
  "clientId",
  "clientSecret",
  "scopes",
  "tokenAuthMethod",
  "issuer",
  "authorizationResponseIssParameterSupported",
  "apiBaseUrl",
] as const;
export type OAuthProviderOverride = Partial<Pick<OAuthProviderConfig, (typeof OAUTH_OVERRIDE_FIELDS)[number]>>;

/** The effective OAuth configuration of a provider, or undefined for a provider without OAuth. */
export function oauthConfigFor(overrides: Readonly<Record<string, OAuthProviderOverride>>, slug: string): OAuthProviderConfig | undefined {
  const base = OAUTH_DEFAULTS[slug];
  if (!base) return undefined;
  const o = overrides[slug] ?? {};
  return { ...base, ...Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) };
}

/** Usable only with a client id and secret (the built-ins have neither). */
export const isConfigured = (c: OAuthProviderConfig | undefined): c is OAuthProviderConfig & { clientId: string; clientSecret: string } =>
  !!c?.clientId && !!c.clientSecret;
