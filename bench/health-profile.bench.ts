/**
 * REST facade vs GraphQL overhead benchmark: GET /v1/users/{id}/health-profile against the equivalent
 * POST /graphql `GetHealthProfile` query (same selection), on the built server (dist/), over 127.0.0.1.
 *
 * It builds dist/, creates the database if missing, provisions a tenant (dist/scripts/admin.js), starts
 * dist/server/main.js on a free port with rate limits raised and workers off, creates one member with a
 * profile, checks both endpoints once, then runs autocannon: 3 s warm-up per endpoint, then REST, GraphQL,
 * REST, GraphQL (2 interleaved rounds); the table shows the MEAN of the 2 rounds.
 *
 *   npm run bench
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/thrive_bench BENCH_DURATION=10 BENCH_CONNECTIONS=10 npm run bench
 *
 * Note: autocannon records latency in whole milliseconds, so p50/p99 have 1 ms resolution.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { Client } from "pg";

interface CannonResult {
  requests: { mean: number };
  latency: { mean: number; p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (opts: {
  url: string; method: "GET" | "POST"; headers: Record<string, string>; body?: string; connections: number; duration: number;
}) => Promise<CannonResult>;
// eslint-disable-next-line @typescript-eslint/no-require-imports -- autocannon ships no types: typed by the Autocannon alias above
const autocannon = require("autocannon") as Autocannon;

const ROOT = path.resolve(__dirname, "..");
const DATABASE_URL = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/thrive_bench";
const posInt = (name: string, def: number) => {
  const n = Number(process.env[name] || def);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer`);
  return n;
};
const DURATION = posInt("BENCH_DURATION", 10);
const CONNECTIONS = posInt("BENCH_CONNECTIONS", 10);
const WARMUP = 3;
const ROUNDS = 2;
const GQL_QUERY = `query GetHealthProfile($userId: UUID!) { healthProfile(userId: $userId) { userId profile { name email phone timezone birthday weight weightUnit height heightUnit preferences preExistingConditions gender ethnicity } location { city state country } privacy { conversationRecordingOptIn } connectedDevices { providerSlug status } } }`;

async function ensureDatabase(url: string) {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
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

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const srv = net.createServer().once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });

async function waitReady(base: string, child: ChildProcess) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early with code ${child.exitCode}`);
    try {
      if ((await fetch(`${base}/readyz`)).status === 200) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("server not ready after 30 s");
}

async function call(base: string, method: string, p: string, headers: Record<string, string>, body?: unknown) {
  const res = await fetch(base + p, {
    method, headers: { ...headers, ...(body ? { "content-type": "application/json" } : {}) }, body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${p} -> ${res.status}: ${text}`);
  return text ? (JSON.parse(text) as Record<string, any>) : {};
}

/** SIGTERM and wait for exit; SIGKILL if it is still alive after 15 s. */
async function stopServer(child: ChildProcess | undefined) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  await exited;
  clearTimeout(timer);
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const f = (n: number, d = 2) => n.toFixed(d);

async function main() {
  const loadBefore = os.loadavg()[0];
  execFileSync("npm", ["run", "--silent", "build"], { cwd: ROOT, stdio: ["ignore", 2, 2] });
  await ensureDatabase(DATABASE_URL);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "thrive-bench-"));
  const env = { ...process.env, DATABASE_URL, DATA_DIR: dataDir, MASTER_KEY: crypto.randomBytes(32).toString("base64") };
  let server: ChildProcess | undefined;
  const cleanup = async () => {
    await stopServer(server);
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  const onSignal = () => void cleanup().finally(() => process.exit(130));
  process.once("SIGINT", onSignal).once("SIGTERM", onSignal);
  try {
    const out = execFileSync(process.execPath, ["dist/scripts/admin.js", "create-tenant", "--name", "bench"], {
      cwd: ROOT, env, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"],
    });
    const tenant = JSON.parse(out.trim()) as { org_id: string; tenant_api_key: string; signing_secret: string };

    const port = await freePort();
    server = spawn(process.execPath, ["dist/server/main.js"], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...env, HOST: "127.0.0.1", PORT: String(port), LOG_LEVEL: "warn", RUN_WORKERS: "false",
        // 10_000_000 is the maximum server/config.ts accepts.
        RATE_LIMIT_TENANT_PER_MINUTE: "10000000", RATE_LIMIT_MEMBER_PER_MINUTE: "10000000",
        SHUTDOWN_TIMEOUT_MS: "2000", // bounds a slow graceful shutdown (the server gives up after 3x this)
      },
    });
    server.once("exit", (code, signal) => process.stderr.write(`server exited with ${signal ?? `code ${code}`}\n`));
    server.stdout!.pipe(process.stderr);
    server.stderr!.pipe(process.stderr);
    const base = `http://127.0.0.1:${port}`;
    await waitReady(base, server);

    const tenantH = { "taih-tenant-key": tenant.tenant_api_key };
    const userId = crypto.randomUUID();
    await call(base, "POST", "/v1/users", tenantH, { user_id: userId, first_name: "Bench" });
    const token = (await call(base, "POST", "/v1/auth/token", tenantH, { user_id: userId })).data?.access_token;
    if (typeof token !== "string") throw new Error("no data.access_token from POST /v1/auth/token");
    const bearer = { authorization: `Bearer ${token}` };
    await call(base, "PATCH", `/v1/users/${userId}`, bearer, { timezone: "Europe/Paris", weight: 70, weight_unit: "kg" });

    const targets = {
      REST: { url: `${base}/v1/users/${userId}/health-profile`, method: "GET" as const, headers: bearer },
      GraphQL: {
        url: `${base}/graphql`, method: "POST" as const, headers: { ...bearer, "content-type": "application/json" },
        body: JSON.stringify({ query: GQL_QUERY, variables: { userId } }),
      },
    };
    const rest = await call(base, "GET", `/v1/users/${userId}/health-profile`, bearer);
    const gql = await call(base, "POST", "/graphql", bearer, { query: GQL_QUERY, variables: { userId } });
    if (rest.data?.user_id !== userId) throw new Error(`unexpected REST body: ${JSON.stringify(rest)}`);
    if (gql.errors || gql.data?.healthProfile?.userId !== userId) throw new Error(`GraphQL check failed: ${JSON.stringify(gql)}`);

    type Name = keyof typeof targets;
    const names: Name[] = ["REST", "GraphQL"];
    const results: Record<Name, CannonResult[]> = { REST: [], GraphQL: [] };
    for (const n of names) await autocannon({ ...targets[n], connections: CONNECTIONS, duration: WARMUP });
    for (let round = 1; round <= ROUNDS; round++) {
      for (const n of names) {
        process.stderr.write(`round ${round}: ${n} (${DURATION} s)\n`);
        results[n].push(await autocannon({ ...targets[n], connections: CONNECTIONS, duration: DURATION }));
        if (server.exitCode !== null || server.signalCode !== null) throw new Error(`server died during ${n} round ${round}`);
      }
    }

    const agg = (rs: CannonResult[]) => ({
      rps: mean(rs.map((r) => r.requests.mean)), p50: mean(rs.map((r) => r.latency.p50)), p99: mean(rs.map((r) => r.latency.p99)),
      latMean: mean(rs.map((r) => r.latency.mean)), non2xx: rs.reduce((a, r) => a + r.non2xx, 0),
      errors: rs.reduce((a, r) => a + r.errors + r.timeouts, 0),
    });
    const s = { REST: agg(results.REST), GraphQL: agg(results.GraphQL) };
    const pass = s.REST.p50 <= s.GraphQL.p50;
    const lines = [
      `machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "?"}), node ${process.version}, ${os.platform()} ${os.arch()}, ` +
        `loadavg(1m) before run ${f(loadBefore)} (client and server share these CPUs)`,
      `settings: duration=${DURATION}s x ${ROUNDS} interleaved rounds per endpoint, warm-up=${WARMUP}s, connections=${CONNECTIONS}, host=127.0.0.1`,
      `aggregation: MEAN of the ${ROUNDS} rounds (non-2xx and errors are summed)`,
      "",
      `${"endpoint".padEnd(10)}${"req/s".padStart(10)}${"p50 ms".padStart(9)}${"p99 ms".padStart(9)}${"mean ms".padStart(9)}${"non-2xx".padStart(9)}${"errors".padStart(8)}`,
      ...names.map((n) => `${n.padEnd(10)}${f(s[n].rps, 1).padStart(10)}${f(s[n].p50).padStart(9)}${f(s[n].p99).padStart(9)}` +
        `${f(s[n].latMean).padStart(9)}${String(s[n].non2xx).padStart(9)}${String(s[n].errors).padStart(8)}`),
      "",
      `latency p50 REST/GraphQL: ${f(s.REST.p50 / s.GraphQL.p50)}x`,
      `latency p99 REST/GraphQL: ${f(s.REST.p99 / s.GraphQL.p99)}x`,
      `req/s GraphQL/REST:       ${f(s.GraphQL.rps / s.REST.rps)}x`,
      `target: REST latency <= 1.0x GraphQL -> ${pass ? "PASS" : "FAIL"}`,
    ];
    console.log(lines.join("\n"));
    const bad = names.filter((n) => s[n].non2xx > 0 || s[n].errors > 0);
    if (bad.length) throw new Error(`non-2xx responses or errors during the run: ${bad.join(", ")}`);
  } finally {
    await cleanup();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
