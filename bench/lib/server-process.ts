/**
 * Shared by the benches: the database created if missing, a tenant provisioned with
 * dist/scripts/admin.js, dist/server/main.js spawned on a free loopback port and stopped with
 * SIGTERM then SIGKILL, plus polling and percentiles.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import net from "node:net";
import { Client } from "pg";

export interface Tenant {
  org_id: string;
  tenant_api_key: string;
  signing_secret: string;
}

export async function ensureDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query("select 1 from pg_database where datname = $1", [name]);
    if (!rowCount) await client.query(`create database "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const srv = net.createServer().once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });

/** `admin create-tenant` (also applies migrations); its stdout is one JSON document. */
export function provisionTenant(root: string, env: NodeJS.ProcessEnv, name: string): Tenant {
  const out = execFileSync(process.execPath, ["dist/scripts/admin.js", "create-tenant", "--name", name], {
    cwd: root,
    env,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  return JSON.parse(out.trim()) as Tenant;
}

/** Spawns dist/server/main.js (its logs go to our stderr) and waits for /readyz. */
export async function startServer(
  root: string,
  env: NodeJS.ProcessEnv,
  opts: { stdout?: "ignore" | "pipe"; execArgv?: string[] } = {},
): Promise<{ child: ChildProcess; base: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [...(opts.execArgv ?? []), "dist/server/main.js"], {
    cwd: root,
    stdio: ["ignore", opts.stdout ?? "pipe", "pipe"],
    env: { ...env, HOST: "127.0.0.1", PORT: String(port) },
  });
  child.once("exit", (code, signal) => process.stderr.write(`server exited with ${signal ?? `code ${code}`}\n`));
  child.stdout?.pipe(process.stderr);
  child.stderr!.pipe(process.stderr);
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (!alive(child)) throw new Error(`server exited early with code ${child.exitCode}`);
    try {
      if ((await fetch(`${base}/readyz`)).status === 200) return { child, base };
    } catch {
      /* not listening yet */
    }
    await sleep(100);
  }
  child.kill("SIGKILL");
  throw new Error("server not ready after 30 s");
}

export const alive = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

/** SIGTERM and wait for exit; SIGKILL if it is still alive after 15 s. */
export async function stopServer(child: ChildProcess | undefined): Promise<void> {
  if (!child || !alive(child)) return;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  await exited;
  clearTimeout(timer);
}

/** JSON call; throws on a status >= 300. */
export async function call(base: string, method: string, p: string, headers: Record<string, string>, body?: unknown) {
  const res = await fetch(base + p, {
    method,
    headers: { ...headers, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${p} -> ${res.status}: ${text}`);
  return text ? (JSON.parse(text) as Record<string, any>) : {};
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `done` every 20 ms until it is true or `ms` elapsed; returns whether it became true. */
export async function waitUntil(done: () => boolean, ms: number, check: () => void = () => undefined): Promise<boolean> {
  const deadline = performance.now() + ms;
  while (!done()) {
    check();
    if (performance.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}

/** Nearest-rank percentile of an ascending-sorted array (NaN when empty). */
export const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);

export interface Stats {
  p50: number;
  p99: number;
  max: number;
  n: number;
}
export const stats = (xs: number[]): Stats => {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: pct(s, 50), p99: pct(s, 99), max: s[s.length - 1] ?? NaN, n: s.length };
};

/** bench/baseline/server.ts (the stock Express + Apollo + pg server), through scripts/ts-run.js; waits for /readyz. */
export async function startBaseline(root: string, env: NodeJS.ProcessEnv, execArgv: string[] = []): Promise<{ child: ChildProcess; base: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [...execArgv, "scripts/ts-run.js", "bench/baseline/server.ts"], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...env, PORT: String(port) },
  });
  const base = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(100)) {
    if (!alive(child)) throw new Error("baseline server exited early");
    try {
      if ((await fetch(`${base}/readyz`)).ok) return { child, base };
    } catch {
      /* not listening yet */
    }
  }
  child.kill("SIGKILL");
  throw new Error("baseline server not ready after 30 s");
}

/**
 * Our server as the speed benches run it: every guard on (rate limits raised to the maximum
 * server/config.ts accepts, so the load is not refused but every request still spends a point;
 * access log at info), no job workers, so nothing but the measured requests runs.
 */
export const GUARDED_BENCH_ENV = {
  LOG_LEVEL: "info",
  RUN_WORKERS: "false",
  RATE_LIMIT_TENANT_PER_MINUTE: "10000000",
  RATE_LIMIT_MEMBER_PER_MINUTE: "10000000",
  SHUTDOWN_TIMEOUT_MS: "2000",
} as const;

/** The GraphQL twin of `GET /v1/users/{id}/health-profile` (the same selection as the REST fragment). */
export const HEALTH_PROFILE_QUERY = `query GetHealthProfile($userId: UUID!) { healthProfile(userId: $userId) { userId profile { name email phone timezone birthday weight weightUnit height heightUnit preferences preExistingConditions gender ethnicity } location { city state country } privacy { conversationRecordingOptIn } connectedDevices { providerSlug status } } }`;

/** Registers a member with the tenant key and mints their token. */
export async function createMember(base: string, tenantKey: string): Promise<{ userId: string; token: string }> {
  const tenantH = { "taih-tenant-key": tenantKey };
  const userId = crypto.randomUUID();
  await call(base, "POST", "/v1/users", tenantH, { user_id: userId, first_name: "Bench" });
  const token = (await call(base, "POST", "/v1/auth/token", tenantH, { user_id: userId })).data?.access_token;
  if (typeof token !== "string") throw new Error("no data.access_token from POST /v1/auth/token");
  return { userId, token };
}
