import type { EntityManager } from "@mikro-orm/postgresql";
import crypto from "node:crypto";
import type { Logger } from "pino";
import { OrgEnvironment } from "../../entities/partners/org.entity";
import { provisionTenant } from "../../resolvers/auth";
import { createApp, type App } from "../../server/app";
import { loadConfig } from "../../server/config";
import { createLogger } from "../../server/logger";

export const TEST_MASTER_KEY = crypto.createHash("sha256").update("thrive-test-master-key").digest();
export const testDatabaseUrl = () => {
  const url = process.env.THRIVE_TEST_DATABASE_URL;
  if (!url) throw new Error("THRIVE_TEST_DATABASE_URL is not set (jest globalSetup did not run)");
  return url;
};

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

export interface RequestOptions {
  key?: string;
  token?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface Harness {
  app: App;
  baseUrl: string;
  databaseUrl: string;
  req(method: string, path: string, opts?: RequestOptions): Promise<HttpResult>;
  gql(query: string, variables?: Record<string, unknown>, opts?: RequestOptions): Promise<HttpResult>;
  tenant(env?: OrgEnvironment): Promise<TestTenant>;
  em(): EntityManager;
  stop(): Promise<void>;
}

export interface TestTenant {
  orgId: string;
  key: string;
  signingSecret: string;
  member(profile?: Record<string, unknown>): Promise<TestMember>;
}

export interface TestMember {
  userId: string;
  token: string;
}

/** Starts the real app (real PostgreSQL, real job engine) on an ephemeral loopback port. */
export async function startHarness(
  opts: {
    env?: Record<string, string>;
    onQuery?: (sql: string) => void;
    runWorkers?: boolean;
    now?: () => Date;
    /** A fresh database of its own: for tests that run a dispatcher (it serves a whole outbox). */
    isolated?: boolean;
    /** The app's logger (default: LOG_LEVEL, to stderr); tests that assert on log lines pass their own. */
    logger?: Logger;
  } = {},
): Promise<Harness> {
  const databaseUrl = opts.isolated ? await createIsolatedDatabase() : testDatabaseUrl();
  // A queue per harness: test files share one database but must not run each other's jobs.
  // Likewise no outbox dispatcher unless a test asks for one (EVENT_DISPATCH=true): a dispatcher
  // serves the whole outbox and would act on other files' events.
  const config = loadConfig({
    NODE_ENV: "test",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    JOB_POLLING_SECONDS: "0.5",
    JOB_QUEUE: `test-jobs-${crypto.randomUUID().slice(0, 8)}`,
    EVENT_DISPATCH: "false",
    NUDGE_SWEEP: "false",
    ...opts.env,
  });
  const app = await createApp({
    config,
    databaseUrl,
    logger: opts.logger ?? createLogger(config.logLevel, "stderr"),
    masterKey: TEST_MASTER_KEY,
    runWorkers: opts.runWorkers ?? false,
    onQuery: opts.onQuery,
    now: opts.now,
  });
  const addr = await app.listen(0, "127.0.0.1");
  const baseUrl = `http://127.0.0.1:${addr.port}`;

  const req = async (method: string, path: string, o: RequestOptions = {}): Promise<HttpResult> => {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    if (o.key) headers["taih-tenant-key"] = o.key;
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let body: string | undefined = o.rawBody;
    if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers["content-type"] ??= "application/json";
    }
    const res = await fetch(baseUrl + path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, headers: res.headers, text, body: parsed };
  };

  const h: Harness = {
    app,
    baseUrl,
    databaseUrl,
    req,
    gql: (query, variables = {}, o = {}) => req("POST", "/graphql", { ...o, body: { query, variables } }),
    em: () => app.deps.orm.em.fork(),
    async tenant(env = OrgEnvironment.sandbox) {
      const p = await provisionTenant(h.em(), app.deps.secretBox, { name: `Test ${crypto.randomUUID().slice(0, 8)}`, environment: env });
      const tenant: TestTenant = {
        orgId: p.org_id,
        key: p.tenant_api_key,
        signingSecret: p.signing_secret,
        async member(profile) {
          const userId = crypto.randomUUID();
          const created = await req("POST", "/v1/users", { key: tenant.key, body: { user_id: userId } });
          if (created.status !== 201) throw new Error(`create user: ${created.status} ${created.text}`);
          const minted = await req("POST", "/v1/auth/token", { key: tenant.key, body: { user_id: userId } });
          if (minted.status !== 200) throw new Error(`issue token: ${minted.status} ${minted.text}`);
          const token = minted.body.data.access_token as string;
          if (profile) {
            const patched = await req("PATCH", `/v1/users/${userId}`, { token, body: profile });
            if (patched.status !== 204) throw new Error(`patch user: ${patched.status} ${patched.text}`);
          }
          return { userId, token };
        },
      };
      return tenant;
    },
    stop: async () => {
      await app.stop();
      if (opts.isolated) await dropDatabase(databaseUrl);
    },
  };
  return h;
}

async function adminQuery(sql: string) {
  const { Client } = await import("pg");
  const c = new Client({ connectionString: process.env.THRIVE_TEST_ADMIN_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

async function createIsolatedDatabase(): Promise<string> {
  const name = `${process.env.THRIVE_TEST_DB_NAME}_${crypto.randomBytes(4).toString("hex")}`;
  await adminQuery(`create database ${name}`);
  return testDatabaseUrl().replace(/\/[^/]*$/, `/${name}`);
}

async function dropDatabase(url: string): Promise<void> {
  await adminQuery(`drop database if exists ${new URL(url).pathname.slice(1)} with (force)`);
}

/** Polls `check` until it returns a value other than undefined (no fixed sleeps). */
export async function waitFor<T>(check: () => Promise<T | undefined>, { timeoutMs = 10_000, intervalMs = 50 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`waitFor: condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** The exact error envelope a partner relies on. */
export function expectError(res: HttpResult, status: number, code: string) {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
  expect(Object.keys(res.body.error).sort()).toEqual(["code", "details", "message", "request_id"]);
  expect(Array.isArray(res.body.error.details)).toBe(true);
  expect(res.body.error.request_id).toBe(res.headers.get("x-request-id"));
}
