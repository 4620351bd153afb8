/**
 * Our gateway against a stock server, on one database, interleaved in one run.
 *
 * Ours: dist/server/main.js (built first) with every guard on: rate limits (raised so the load is not
 * refused, but still counted on every request), tenancy checks, the access log (pino at info, to
 * /dev/null), the NUL guard, depth/alias/cost rules. Workers off (no job polling in the measurement).
 * Baseline: bench/baseline/server.ts, plain Express 5 + Apollo Server 5 + SDL resolvers + `pg`, a
 * KeyObject JWT key, the same three statements and the same JSON (see its header).
 *
 * For each of REST `GET /v1/users/{id}/health-profile`, GraphQL `healthProfile` and `/healthz`:
 * 3 s warm-up per server, then ROUNDS rounds; each round runs ours and the baseline back to back
 * (the order alternates per round). Figures are the mean over rounds; server CPU is utime+stime of
 * the server process (from /proc) divided by the requests it answered in the measured runs.
 *
 *   npm run bench
 *   BENCH_DURATION=10 BENCH_ROUNDS=3 BENCH_CONNECTIONS=10 npm run bench
 *
 * autocannon records latency in whole milliseconds, so p50/p99 have 1 ms resolution.
 */
import { execFileSync, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  GUARDED_BENCH_ENV,
  HEALTH_PROFILE_QUERY,
  alive,
  call,
  createMember,
  ensureDatabase,
  provisionTenant,
  startBaseline,
  startServer,
  stopServer,
} from "./lib/server-process";

interface CannonResult {
  requests: { mean: number; total: number };
  latency: { mean: number; p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (opts: {
  url: string;
  method: "GET" | "POST";
  headers: Record<string, string>;
  body?: string;
  connections: number;
  duration: number;
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
const DURATION = posInt("BENCH_DURATION", 8);
const CONNECTIONS = posInt("BENCH_CONNECTIONS", 10);
const ROUNDS = posInt("BENCH_ROUNDS", 3);
const WARMUP = 3;
const CLK_TCK = 100; // Linux USER_HZ (getconf CLK_TCK)

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK; // utime, stime (fields 14, 15)
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const f = (n: number, d = 2) => n.toFixed(d);

async function main() {
  const loadBefore = os.loadavg()[0];
  execFileSync("npm", ["run", "--silent", "build"], { cwd: ROOT, stdio: ["ignore", 2, 2] });
  await ensureDatabase(DATABASE_URL);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "thrive-bench-"));
  const env = { ...process.env, DATABASE_URL, DATA_DIR: dataDir, MASTER_KEY: crypto.randomBytes(32).toString("base64") };
  const servers: ChildProcess[] = [];
  const cleanup = async () => {
    await Promise.all(servers.map((s) => stopServer(s)));
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  process.once("SIGINT", () => void cleanup().finally(() => process.exit(130)));
  try {
    const tenant = provisionTenant(ROOT, env, "bench");
    const ours = await startServer(ROOT, { ...env, ...GUARDED_BENCH_ENV }, { stdout: "ignore" });
    servers.push(ours.child);
    const baseline = await startBaseline(ROOT, env);
    servers.push(baseline.child);

    const { userId, token } = await createMember(ours.base, tenant.tenant_api_key);
    const bearer = { authorization: `Bearer ${token}` };
    await call(ours.base, "PATCH", `/v1/users/${userId}`, bearer, {
      timezone: "Europe/Paris",
      weight: 70,
      weight_unit: "kg",
      location: { city: "Paris", country: "FR" },
    });
    await call(ours.base, "PATCH", `/v1/users/${userId}/privacy-settings`, bearer, { conversation_recording_opt_in: true });

    const gqlBody = JSON.stringify({ query: HEALTH_PROFILE_QUERY, variables: { userId } });
    const target = (base: string, kind: string) =>
      kind === "REST"
        ? { url: `${base}/v1/users/${userId}/health-profile`, method: "GET" as const, headers: bearer }
        : kind === "GraphQL"
          ? { url: `${base}/graphql`, method: "POST" as const, headers: { ...bearer, "content-type": "application/json" }, body: gqlBody }
          : { url: `${base}/healthz`, method: "GET" as const, headers: {} };

    // Same answers from both, or the comparison means nothing.
    for (const kind of ["REST", "GraphQL"]) {
      const t = target(ours.base, kind);
      const get = async (base: string) => (await fetch(target(base, kind).url, { method: t.method, headers: t.headers, body: t.body })).json();
      const [a, b] = [await get(ours.base), await get(baseline.base)];
      if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`${kind} bodies differ:\n ours ${JSON.stringify(a)}\n base ${JSON.stringify(b)}`);
    }

    const kinds = ["REST", "GraphQL", "/healthz"];
    const sides = { ours, baseline };
    type Side = keyof typeof sides;
    const runs: Record<string, { rps: number[]; p50: number[]; p99: number[]; cpuMs: number[]; bad: number }> = {};
    const one = async (kind: string, side: Side, duration: number) => {
      const s = sides[side];
      const before = cpuSeconds(s.child.pid!);
      const r = await autocannon({ ...target(s.base, kind), connections: CONNECTIONS, duration });
      const cpu = cpuSeconds(s.child.pid!) - before;
      if (!alive(s.child)) throw new Error(`${side} server died during ${kind}`);
      return { r, cpuMs: (cpu * 1000) / Math.max(1, r.requests.total) };
    };
    for (const kind of kinds) for (const side of ["ours", "baseline"] as Side[]) await one(kind, side, WARMUP);
    for (let round = 0; round < ROUNDS; round++) {
      for (const kind of kinds) {
        const order: Side[] = round % 2 ? ["baseline", "ours"] : ["ours", "baseline"];
        for (const side of order) {
          process.stderr.write(`round ${round + 1}/${ROUNDS}: ${kind} ${side} (${DURATION} s)\n`);
          const { r, cpuMs } = await one(kind, side, DURATION);
          const e = (runs[`${kind}|${side}`] ??= { rps: [], p50: [], p99: [], cpuMs: [], bad: 0 });
          e.rps.push(r.requests.mean);
          e.p50.push(r.latency.p50);
          e.p99.push(r.latency.p99);
          e.cpuMs.push(cpuMs);
          e.bad += r.non2xx + r.errors + r.timeouts;
        }
      }
    }

    const row = (label: string, e: (typeof runs)[string]) =>
      `${label.padEnd(22)}${f(mean(e.rps), 0).padStart(9)}${f(mean(e.p50)).padStart(9)}${f(mean(e.p99)).padStart(9)}${f(mean(e.cpuMs), 3).padStart(12)}${String(e.bad).padStart(7)}`;
    const lines = [
      `machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "?"}), node ${process.version}; loadavg(1m) before ${f(loadBefore)} (client, both servers and PostgreSQL share these CPUs)`,
      `settings: ${ROUNDS} interleaved rounds x ${DURATION} s per server and endpoint, warm-up ${WARMUP} s, ${CONNECTIONS} connections; means over rounds`,
      "",
      `${"endpoint / server".padEnd(22)}${"req/s".padStart(9)}${"p50 ms".padStart(9)}${"p99 ms".padStart(9)}${"CPU ms/req".padStart(12)}${"bad".padStart(7)}`,
    ];
    const verdicts: string[] = [];
    for (const kind of kinds) {
      const o = runs[`${kind}|ours`];
      const b = runs[`${kind}|baseline`];
      lines.push(row(`${kind} ours`, o), row(`${kind} baseline`, b));
      const rps = mean(o.rps) / mean(b.rps);
      const cpu = mean(o.cpuMs) / mean(b.cpuMs);
      verdicts.push(
        `${kind.padEnd(9)} req/s ours/baseline ${f(rps)}x   CPU/req ours/baseline ${f(cpu)}x` +
          (kind === "/healthz" ? "" : `   target (req/s >= 1.0x, CPU <= 1.0x): ${rps >= 1 && cpu <= 1 ? "MET" : "NOT MET"}`),
      );
    }
    console.log([...lines, "", ...verdicts].join("\n"));
    const bad = Object.entries(runs)
      .filter(([, e]) => e.bad > 0)
      .map(([k]) => k);
    if (bad.length) throw new Error(`non-2xx responses or errors during the run: ${bad.join(", ")}`);
  } finally {
    await cleanup();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
