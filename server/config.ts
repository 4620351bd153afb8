import path from "node:path";
import { DEVICE_PROVIDERS, OAUTH_DEFAULTS, OAUTH_OVERRIDE_FIELDS, type OAuthProviderOverride } from "../resolvers/devices/providers";

/** Parsed, validated, frozen process configuration. Only this module reads `process.env`. */
export interface Config {
  readonly nodeEnv: "development" | "production" | "test";
  readonly isProduction: boolean;
  readonly host: string;
  readonly port: number;
  /** When undefined, an embedded PostgreSQL under `dataDir/pg` is found or started. */
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly embeddedPgPort: number;
  readonly dbPoolMax: number;
  /** Base64 32-byte master key; when undefined (non-production) it is kept in `dataDir/master.key`. */
  readonly masterKey: string | undefined;
  readonly logLevel: string;
  readonly runWorkers: boolean;
  /** Schedule the 15-minute nudge detector sweep on this deployment's job engine (NUDGE_SWEEP, default true). */
  readonly nudgeSweep: boolean;
  readonly bodyLimitBytes: number;
  readonly memberTokenTtlSeconds: number;
  readonly idempotencyTtlSeconds: number;
  readonly rateLimit: { readonly tenantPerMinute: number; readonly memberPerMinute: number };
  readonly graphql: { readonly maxDepth: number; readonly maxAliases: number; readonly maxCost: number };
  /**
   * graphql-ws: how often a live connection re-authenticates its credential (revoked or expired tenant
   * key, deleted member); a failure closes it with 4401. Member tokens also close exactly at `exp`.
   */
  readonly wsCredentialRecheckSeconds: number;
  /** Device OAuth: the callback URL registered with every provider and per-provider client overrides. */
  readonly oauth: { readonly callbackUrl: string; readonly providers: Readonly<Record<string, OAuthProviderOverride>> };
  readonly shutdownTimeoutMs: number;
  readonly jobPollingSeconds: number;
  /** pg-boss queue for async jobs; processes that share it share the work. */
  readonly jobQueue: string;
  /**
   * Provider order that picks one source per local day (and per timeseries bucket) so two sources
   * are never added up. `partner` matches every `partner:{org}` ingest.
   */
  readonly metricSourcePriority: readonly string[];
  /** AI features: the built-in deterministic engine (default, used by tests) or an OpenAI-compatible endpoint. */
  readonly ai: { readonly provider: "builtin" | "openai"; readonly baseUrl?: string; readonly apiKey?: string; readonly model: string; readonly timeoutMs: number };
  readonly events: {
    /** Allow private/loopback webhook targets (dev and tests only: SSRF guard off). */
    readonly allowPrivateTargets: boolean;
    /** A destination must acknowledge within this (documented: 10 s). */
    readonly ackTimeoutMs: number;
    /** Fallback poll for due retries; new events wake the dispatcher at once (LISTEN/NOTIFY). */
    readonly pollMs: number;
    readonly batchSize: number;
    /** Passes in flight at once per process (claims never overlap: SKIP LOCKED + lease). */
    readonly concurrency: number;
    /** Run the outbox dispatcher in this process (with the job workers). */
    readonly dispatch: boolean;
  };
}

export class ConfigError extends Error {}

function int(env: NodeJS.ProcessEnv, name: string, def: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return def;
  if (!/^-?\d+$/.test(raw)) throw new ConfigError(`${name} must be an integer`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(`${name} must be between ${min} and ${max}`);
  return n;
}

function num(env: NodeJS.ProcessEnv, name: string, def: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return def;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) throw new ConfigError(`${name} must be a number between ${min} and ${max}`);
  return n;
}

/** OAUTH_PROVIDERS_JSON: `{ "<oauth provider slug>": { authorizationUrl?, tokenUrl?, revocationUrl?, clientId?, clientSecret?, scopes?, tokenAuthMethod?, issuer?, authorizationResponseIssParameterSupported?, apiBaseUrl? } }`. */
function oauthProviders(raw: string | undefined): Readonly<Record<string, OAuthProviderOverride>> {
  if (!raw) return Object.freeze({});
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError("OAUTH_PROVIDERS_JSON must be valid JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new ConfigError("OAUTH_PROVIDERS_JSON must be a JSON object");
  const out: Record<string, OAuthProviderOverride> = {};
  for (const [slug, value] of Object.entries(parsed as Record<string, unknown>)) {
    const where = `OAUTH_PROVIDERS_JSON.${slug}`;
    if (!OAUTH_DEFAULTS[slug]) {
      const oauthSlugs = DEVICE_PROVIDERS.filter((p) => p.authType === "oauth").map((p) => p.slug);
      throw new ConfigError(`${where}: not an OAuth provider (one of ${oauthSlugs.join(", ")})`);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw new ConfigError(`${where} must be an object`);
    const o: Record<string, unknown> = { ...value };
    for (const key of Object.keys(o)) {
      if (!(OAUTH_OVERRIDE_FIELDS as readonly string[]).includes(key)) {
        throw new ConfigError(`${where}.${key} is not a known field`);
      }
    }
    for (const key of ["authorizationUrl", "tokenUrl", "revocationUrl", "apiBaseUrl"]) {
      if (o[key] !== undefined && (typeof o[key] !== "string" || !/^https?:\/\//.test(o[key]) || !URL.canParse(o[key]))) {
        throw new ConfigError(`${where}.${key} must be an http(s) URL`);
      }
    }
    for (const key of ["clientId", "clientSecret"]) {
      if (o[key] !== undefined && (typeof o[key] !== "string" || !o[key])) throw new ConfigError(`${where}.${key} must be a non-empty string`);
    }
    if (o.scopes !== undefined && (!Array.isArray(o.scopes) || !o.scopes.every((x) => typeof x === "string" && /^[\x21-\x7e]+$/.test(x)))) {
      throw new ConfigError(`${where}.scopes must be an array of scope strings`);
    }
    if (o.tokenAuthMethod !== undefined && o.tokenAuthMethod !== "client_secret_basic" && o.tokenAuthMethod !== "client_secret_post") {
      throw new ConfigError(`${where}.tokenAuthMethod must be client_secret_basic or client_secret_post`);
    }
    if (o.issuer !== undefined && (typeof o.issuer !== "string" || !o.issuer)) throw new ConfigError(`${where}.issuer must be a non-empty string (the RFC 8414 issuer)`);
    if (o.authorizationResponseIssParameterSupported !== undefined && typeof o.authorizationResponseIssParameterSupported !== "boolean") {
      throw new ConfigError(`${where}.authorizationResponseIssParameterSupported must be true or false`);
    }
    if (o.authorizationResponseIssParameterSupported === true && o.issuer === undefined) {
      throw new ConfigError(`${where}.authorizationResponseIssParameterSupported needs ${where}.issuer`);
    }
    out[slug] = Object.freeze(o as OAuthProviderOverride);
  }
  return Object.freeze(out);
}

function bool(env: NodeJS.ProcessEnv, name: string, def: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === "") return def;
  if (/^(1|true|yes)$/i.test(raw)) return true;
  if (/^(0|false|no)$/i.test(raw)) return false;
  throw new ConfigError(`${name} must be true or false`);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const nodeEnv = env.NODE_ENV === "production" ? "production" : env.NODE_ENV === "test" ? "test" : "development";
  const isProduction = nodeEnv === "production";
  const masterKey = env.MASTER_KEY || undefined;
  if (masterKey !== undefined && Buffer.from(masterKey, "base64").length !== 32) {
    throw new ConfigError("MASTER_KEY must be 32 bytes, base64-encoded");
  }
  if (isProduction && !masterKey) throw new ConfigError("MASTER_KEY is required when NODE_ENV=production");
  if (isProduction && !env.DATABASE_URL) throw new ConfigError("DATABASE_URL is required when NODE_ENV=production");
  const config: Config = {
    nodeEnv,
    isProduction,
    host: env.HOST || (isProduction ? "0.0.0.0" : "127.0.0.1"),
    port: int(env, "PORT", 4000, 0, 65535),
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.DATA_DIR || ".data"),
    embeddedPgPort: int(env, "EMBEDDED_PG_PORT", 54329, 1, 65535),
    dbPoolMax: int(env, "DB_POOL_MAX", 10, 1, 200),
    masterKey,
    logLevel: env.LOG_LEVEL || (nodeEnv === "test" ? "silent" : "info"),
    runWorkers: bool(env, "RUN_WORKERS", true),
    nudgeSweep: bool(env, "NUDGE_SWEEP", true),
    bodyLimitBytes: int(env, "BODY_LIMIT_BYTES", 1024 * 1024, 1024, 64 * 1024 * 1024),
    memberTokenTtlSeconds: int(env, "MEMBER_TOKEN_TTL_SECONDS", 3600, 60, 86400),
    idempotencyTtlSeconds: int(env, "IDEMPOTENCY_TTL_SECONDS", 86400, 60, 7 * 86400),
    rateLimit: {
      tenantPerMinute: int(env, "RATE_LIMIT_TENANT_PER_MINUTE", 6000, 1, 10_000_000),
      memberPerMinute: int(env, "RATE_LIMIT_MEMBER_PER_MINUTE", 600, 1, 10_000_000),
    },
    graphql: {
      maxDepth: int(env, "GRAPHQL_MAX_DEPTH", 10, 2, 100),
      maxAliases: int(env, "GRAPHQL_MAX_ALIASES", 15, 0, 1000),
      maxCost: int(env, "GRAPHQL_MAX_COST", 5000, 10, 1_000_000),
    },
    wsCredentialRecheckSeconds: num(env, "WS_CREDENTIAL_RECHECK_SECONDS", 30, 0.05, 60),
    oauth: Object.freeze({
      callbackUrl: env.OAUTH_CALLBACK_URL || `http://127.0.0.1:${int(env, "PORT", 4000, 0, 65535)}/v1/devices/oauth/callback`,
      providers: oauthProviders(env.OAUTH_PROVIDERS_JSON),
    }),
    shutdownTimeoutMs: int(env, "SHUTDOWN_TIMEOUT_MS", 10_000, 100, 600_000),
    jobPollingSeconds: num(env, "JOB_POLLING_SECONDS", 1, 0.5, 60),
    jobQueue: env.JOB_QUEUE || "async-jobs",
    ai: Object.freeze({
      provider: env.AI_PROVIDER === "openai" ? "openai" : "builtin",
      baseUrl: env.AI_BASE_URL || undefined,
      apiKey: env.AI_API_KEY || undefined,
      model: env.AI_MODEL || "gpt-4o-mini",
      timeoutMs: int(env, "AI_TIMEOUT_MS", 15_000, 100, 120_000),
    }),
    metricSourcePriority: Object.freeze(
      (env.METRIC_SOURCE_PRIORITY || "partner,apple_health,health_connect,oura,garmin,fitbit,whoop,withings,polar")
        .split(",")
        .map((p) => p.trim())
        .filter(Boolean),
    ),
    events: {
      allowPrivateTargets: bool(env, "EVENT_WEBHOOK_ALLOW_PRIVATE", false),
      ackTimeoutMs: int(env, "EVENT_ACK_TIMEOUT_MS", 10_000, 100, 60_000),
      pollMs: int(env, "EVENT_POLL_MS", 1000, 20, 60_000),
      batchSize: int(env, "EVENT_BATCH_SIZE", 200, 1, 5000),
      concurrency: int(env, "EVENT_CONCURRENCY", 2, 1, 32),
      dispatch: bool(env, "EVENT_DISPATCH", true),
    },
  };
  if (!/^https?:\/\//.test(config.oauth.callbackUrl) || !URL.canParse(config.oauth.callbackUrl)) throw new ConfigError("OAUTH_CALLBACK_URL must be an http(s) URL");
  if (env.AI_PROVIDER && !["builtin", "openai"].includes(env.AI_PROVIDER)) throw new ConfigError("AI_PROVIDER must be builtin or openai");
  if (config.ai.provider === "openai" && !config.ai.baseUrl) throw new ConfigError("AI_BASE_URL is required when AI_PROVIDER=openai");
  if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(config.jobQueue)) throw new ConfigError("JOB_QUEUE must be 1–64 of a-z 0-9 . _ -");
  return Object.freeze(config);
}
