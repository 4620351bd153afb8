/**
 * Summary ingest throughput: 500-item batches of activity days and of sleep nights (each with 4
 * stage segments) POSTed to the built server over loopback, a few requests in flight, plus the
 * server's peak RSS (VmHWM) during ingest. Client and server share this machine's CPUs.
 *
 *   npm run build && node scripts/ts-run.js bench/summaries.bench.ts
 *   BENCH_BATCHES=40 BENCH_CONCURRENCY=4 DATABASE_URL=postgres://postgres@127.0.0.1:5432/thrive_bench node scripts/ts-run.js bench/summaries.bench.ts
 */
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DateTime } from "luxon";
import { call, ensureDatabase, provisionTenant, startServer, stopServer } from "./lib/server-process";

const ROOT = path.resolve(__dirname, "..");
const DATABASE_URL = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/thrive_bench";
const BATCHES = Number(process.env.BENCH_BATCHES || 40);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY || 4);
const BATCH = 500;

const peakRssMb = (pid: number) => {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
};

/** 500 consecutive local days per batch (activity keeps one total per day per source). */
function activityBatch(b: number) {
  const start = DateTime.fromISO("2020-01-01", { zone: "UTC" }).plus({ days: b * BATCH });
  return Array.from({ length: BATCH }, (_, i) => ({
    client_id: `a-${b}-${i}`,
    date: start.plus({ days: i }).toISODate(),
    steps: 4000 + ((b * 31 + i * 17) % 9000),
    calories: 2000 + (i % 400),
    distance_meters: 3000 + (i % 5000),
    active_minutes: i % 120,
  }));
}

function sleepBatch(b: number) {
  const base = Date.parse("2020-01-01T22:00:00Z") + b * BATCH * 86_400_000;
  return Array.from({ length: BATCH }, (_, i) => {
    const s = base + i * 86_400_000;
    const at = (h: number) => new Date(s + h * 3_600_000).toISOString();
    return {
      client_id: `s-${b}-${i}`,
      start: at(0),
      end: at(8),
      duration_seconds: 28_800,
      efficiency: 85 + (i % 10),
      stage_intervals: [
        { stage: "light", start: at(0), end: at(2) },
        { stage: "deep", start: at(2), end: at(4) },
        { stage: "rem", start: at(4), end: at(6) },
        { stage: "light", start: at(6), end: at(8) },
      ],
    };
  });
}

async function run(label: string, base: string, users: { id: string; token: string }[], kind: string, make: (b: number) => unknown[], pid: number) {
  const latencies: number[] = [];
  let next = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (;;) {
        const b = next++;
        if (b >= BATCHES) return;
        const u = users[b % users.length];
        const t0 = Date.now();
        const res = await call(base, "POST", `/v1/users/${u.id}/metrics/${kind}/summary`, { authorization: `Bearer ${u.token}` }, { data: make(b), is_backfill: true });
        latencies.push(Date.now() - t0);
        const bad = (res.data as { status: string }[]).filter((r) => r.status !== "accepted");
        if (bad.length) throw new Error(`${label}: ${bad.length} items not accepted in batch ${b}`);
      }
    }),
  );
  const secs = (Date.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)];
  console.log(
    `${label.padEnd(10)} ${String(BATCHES * BATCH).padStart(7)} items  ${((BATCHES * BATCH) / secs).toFixed(0).padStart(7)} items/s  request p50 ${p(0.5)} ms  p99 ${p(0.99)} ms  server peak RSS ${peakRssMb(pid)} MB`,
  );
}

async function main() {
  execFileSync("npm", ["run", "--silent", "build"], { cwd: ROOT, stdio: "inherit" });
  await ensureDatabase(DATABASE_URL);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "thrive-bench-"));
  const env = {
    ...process.env,
    DATABASE_URL,
    DATA_DIR: dataDir,
    MASTER_KEY: crypto.randomBytes(32).toString("base64"),
    LOG_LEVEL: "warn",
    RATE_LIMIT_TENANT_PER_MINUTE: "10000000",
    RATE_LIMIT_MEMBER_PER_MINUTE: "10000000",
    RUN_WORKERS: "false",
    BODY_LIMIT_BYTES: String(8 * 1024 * 1024),
  };
  const tenant = provisionTenant(ROOT, env, "bench-summaries");
  const { child, base } = await startServer(ROOT, env);
  try {
    const key = { "taih-tenant-key": tenant.tenant_api_key };
    const users = [];
    for (let i = 0; i < BATCHES; i++) {
      const id = crypto.randomUUID();
      await call(base, "POST", "/v1/users", key, { user_id: id });
      const tok = await call(base, "POST", "/v1/auth/token", key, { user_id: id });
      users.push({ id, token: tok.data.access_token as string });
    }
    console.log(
      `machine: ${os.cpus().length} CPUs, node ${process.version}; ${BATCHES} batches of ${BATCH} items per kind, ${CONCURRENCY} requests in flight, one member per batch, is_backfill=true`,
    );
    await run("activity", base, users, "activity", activityBatch, child.pid!);
    await run("sleep+4st", base, users, "sleep", sleepBatch, child.pid!);
  } finally {
    await stopServer(child);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
