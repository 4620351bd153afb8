/**
 * Timeseries benchmark on the built server (dist/) against real PostgreSQL over 127.0.0.1:
 *
 * 1. Ingest throughput: BENCH_REQUESTS POST /v1/users/{id}/metrics/heart_rate/timeseries requests of
 *    BENCH_BATCH samples each (bodies built before the clock starts), BENCH_CONCURRENCY in flight, one
 *    member per lane, every sample new. Reported: samples/s from the first request sent to the last
 *    response, request latency p50/p99, and the server's peak RSS: VmHWM of the server process
 *    (/proc/<pid>/status; a process-lifetime peak) before and after the ingest, plus the highest VmRSS
 *    sampled every 20 ms during it.
 * 2. One year of 5-minute heart rate (105,120 samples, 2025-01-01 to 2026-01-01) for one member, loaded
 *    through the same REST ingest (5,000 per request). Reads are timed sequentially (one in flight,
 *    BENCH_READS times after 3 warm-ups), first right after the load and again after VACUUM ANALYZE
 *    (what autovacuum does next; it sets the visibility map that makes the covering index index-only):
 *      a. GET granularity=one_hour over the whole year, limit=1000 (first page; one source per bucket);
 *      b. the whole year hourly as the 9 pages a partner needs (limit=1000, offset 0…8000), per pass,
 *         compared with a. and with d. (one unpaged full-year read; REST caps limit at 1000, so SQL only);
 *      a1/a2. single pages of the same read: limit=10 and limit=1000, each at offset 0 and at offset 8000
 *         (targets: a page costs its limit, not the window or the offset: limit=10 ≤ 1/5 of limit=1000,
 *         offset 8000 ≤ offset 0);
 *      c. GET granularity=raw over the whole year, limit=1000 (first page);
 *    and the full-year hourly read as SQL without paging (the service's statement with limit 10,000,
 *    inside a transaction with the service's settings: work_mem 32MB, jit off), timed directly and with EXPLAIN ANALYZE:
 *    d. the service's statement (hour-aligned start: read from the timeseries_hourly rollup);
 *    e. the same buckets aggregated from timeseries_samples (the statement used before the rollup; a
 *       non-hour-aligned start still uses it), for comparison;
 *    f. (after VACUUM) the service's statement for the pages of a1/a2, without HTTP, and EXPLAIN ANALYZE of limit=10 offset=8000.
 *
 *   node scripts/ts-run.js bench/timeseries.bench.ts
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/thrive_bench BENCH_REQUESTS=50 BENCH_CONCURRENCY=4 node scripts/ts-run.js bench/timeseries.bench.ts
 *
 * Env: DATABASE_URL (postgres://postgres@127.0.0.1:5432/thrive_bench), BENCH_REQUESTS (50), BENCH_BATCH (5000),
 * BENCH_CONCURRENCY (4), BENCH_READS (30). Targets: ingest ≥ 50,000 samples/s; hourly rollup of one year ≤ 50 ms p50.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync, type ChildProcess } from "node:child_process";
import { Client } from "pg";
import { INGEST_SQL, ROLLUP_SQL, readStatement } from "../resolvers/metrics/timeseries.sql";
import { call, ensureDatabase, provisionTenant, startServer, stats, stopServer, type Stats } from "./lib/server-process";

const ROOT = path.resolve(__dirname, "..");
const DATABASE_URL = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/thrive_bench";
const posInt = (name: string, def: number) => {
  const n = Number(process.env[name] || def);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer`);
  return n;
};
const REQUESTS = posInt("BENCH_REQUESTS", 50);
const BATCH = Math.min(posInt("BENCH_BATCH", 5000), 5000);
const CONCURRENCY = posInt("BENCH_CONCURRENCY", 4);
const READS = posInt("BENCH_READS", 30);
const YEAR_START = Date.parse("2025-01-01T00:00:00Z");
const YEAR_END = Date.parse("2026-01-01T00:00:00Z");
const STEP_MS = 5 * 60_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");
const f = (n: number, d = 1) => n.toFixed(d);

function procStatus(pid: number, field: "VmHWM" | "VmRSS"): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function post(base: string, p: string, token: string, body: string) {
  const t0 = performance.now();
  const res = await fetch(base + p, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`POST ${p} -> ${res.status}: ${text.slice(0, 500)}`);
  return { ms: performance.now() - t0, data: JSON.parse(text).data as { accepted: number; updated: number; duplicate: number; rejected: unknown[] } };
}

async function timedGet(base: string, p: string, token: string): Promise<{ ms: number; rows: number }> {
  const t0 = performance.now();
  const res = await fetch(base + p, { headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  const ms = performance.now() - t0;
  if (res.status !== 200) throw new Error(`GET ${p} -> ${res.status}: ${text.slice(0, 500)}`);
  return { ms, rows: (JSON.parse(text).data as unknown[]).length };
}

async function member(base: string, tenantKey: string): Promise<{ userId: string; token: string }> {
  const userId = crypto.randomUUID();
  await call(base, "POST", "/v1/users", { "taih-tenant-key": tenantKey }, { user_id: userId });
  const token = (await call(base, "POST", "/v1/auth/token", { "taih-tenant-key": tenantKey }, { user_id: userId })).data?.access_token;
  if (typeof token !== "string") throw new Error("no data.access_token from POST /v1/auth/token");
  return { userId, token };
}

const batchBody = (startMs: number, n: number, stepMs: number) =>
  JSON.stringify({ data: Array.from({ length: n }, (_, i) => ({ timestamp: iso(startMs + i * stepMs), value: 55 + ((i * 7) % 60), unit: "bpm" })) });

async function ingestPhase(base: string, tenantKey: string, server: ChildProcess) {
  const lanes = await Promise.all(Array.from({ length: CONCURRENCY }, () => member(base, tenantKey)));
  // Request r goes to lane r % CONCURRENCY; 1-second spacing, every request on its own time range.
  const bodies = Array.from({ length: REQUESTS }, (_, r) => batchBody(Date.parse("2025-06-01T00:00:00Z") + r * BATCH * 1000, BATCH, 1000));
  const bodyBytes = Buffer.byteLength(bodies[0]);
  const hwmBefore = procStatus(server.pid!, "VmHWM");
  let rssPeak = procStatus(server.pid!, "VmRSS");
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, procStatus(server.pid!, "VmRSS"))), 20);
  const latencies: number[] = [];
  let accepted = 0;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    lanes.map(async (lane, l) => {
      for (let r = next++; r < REQUESTS; r = next++) {
        const res = await post(base, `/v1/users/${lane.userId}/metrics/heart_rate/timeseries`, lane.token, bodies[r]);
        if (res.data.rejected.length || res.data.accepted !== BATCH) throw new Error(`lane ${l}: unexpected result ${JSON.stringify(res.data).slice(0, 300)}`);
        accepted += res.data.accepted;
        latencies.push(res.ms);
      }
    }),
  );
  const wallMs = performance.now() - t0;
  clearInterval(sampler);
  return { accepted, wallMs, bodyBytes, latency: stats(latencies), hwmBefore, hwmAfter: procStatus(server.pid!, "VmHWM"), rssPeak };
}

async function loadYear(base: string, reader: { userId: string; token: string }) {
  const total = (YEAR_END - YEAR_START) / STEP_MS;
  const t0 = performance.now();
  let stored = 0;
  for (let i = 0; i < total; i += 5000) {
    const n = Math.min(5000, total - i);
    stored += (await post(base, `/v1/users/${reader.userId}/metrics/heart_rate/timeseries`, reader.token, batchBody(YEAR_START + i * STEP_MS, n, STEP_MS))).data.accepted;
  }
  return { total, stored, ms: performance.now() - t0 };
}

async function readPhase(base: string, reader: { userId: string; token: string }) {
  const p = (q: string) => `/v1/users/${reader.userId}/metrics/heart_rate/timeseries?start_time=${iso(YEAR_START)}&end_time=${iso(YEAR_END)}&${q}`;
  const loop = async (fn: () => Promise<number>): Promise<Stats> => {
    for (let i = 0; i < 3; i++) await fn();
    const xs: number[] = [];
    for (let i = 0; i < READS; i++) xs.push(await fn());
    return stats(xs);
  };
  let hourlyRows = 0;
  const hourlyFirstPage = await loop(async () => {
    const r = await timedGet(base, p("granularity=one_hour&limit=1000"), reader.token);
    hourlyRows = r.rows;
    return r.ms;
  });
  let pagedRows = 0;
  const hourlyAllPages = await loop(async () => {
    const t0 = performance.now();
    pagedRows = 0;
    for (let offset = 0; ; offset += 1000) {
      const r = await timedGet(base, p(`granularity=one_hour&limit=1000&offset=${offset}`), reader.token);
      pagedRows += r.rows;
      if (r.rows < 1000) break;
    }
    return performance.now() - t0;
  });
  const pages: { limit: number; offset: number; stats: Stats; rows: number }[] = [];
  for (const [limit, offset] of [
    [10, 0],
    [10, 8000],
    [1000, 0],
    [1000, 8000],
  ] as const) {
    let rows = 0;
    const s = await loop(async () => {
      const r = await timedGet(base, p(`granularity=one_hour&limit=${limit}&offset=${offset}`), reader.token);
      rows = r.rows;
      return r.ms;
    });
    pages.push({ limit, offset, stats: s, rows });
  }
  let rawRows = 0;
  const rawPage = await loop(async () => {
    const r = await timedGet(base, p("granularity=raw&limit=1000"), reader.token);
    rawRows = r.rows;
    return r.ms;
  });
  return { hourlyFirstPage, hourlyRows, hourlyAllPages, pagedRows, pages, rawPage, rawRows };
}

async function sqlRollup(pg: Client, internalUserId: string, priority: string[], samplesOnly = false, limit = 10_000, offset = 0) {
  const { sql, params } = readStatement({
    userId: internalUserId,
    metric: "heart_rate",
    shape: "scalar",
    start: new Date(YEAR_START),
    end: new Date(YEAR_END),
    bucket: "1 hour",
    aggregate: "avg",
    provider: null,
    priority,
    limit,
    offset,
    samplesOnly,
  });
  let i = 0;
  const text = sql.replace(/\?/g, () => `$${++i}`);
  const run = async (prefix = "") => {
    await pg.query("begin");
    await pg.query("select set_config('work_mem', '32MB', true), set_config('jit', 'off', true)");
    const t0 = performance.now();
    const res = await pg.query(prefix + text, params);
    const ms = performance.now() - t0;
    await pg.query("commit");
    return { ms, res };
  };
  for (let w = 0; w < 3; w++) await run();
  const xs: number[] = [];
  let rows = 0;
  for (let r = 0; r < READS; r++) {
    const { ms, res } = await run();
    xs.push(ms);
    rows = res.rowCount ?? 0;
  }
  const explain = (await run("explain (analyze, buffers) ")).res.rows.map((r: Record<string, string>) => r["QUERY PLAN"]);
  return { sql: text, params, stats: stats(xs), rows, explain };
}

const pageTarget = (pages: { limit: number; offset: number; stats: Stats }[], limit: number, offset: number) =>
  pages.find((x) => x.limit === limit && x.offset === offset)!.stats.p50;

const line = (label: string, s: Stats, extra = "") => `  ${label.padEnd(66)} p50 ${f(s.p50).padStart(7)} ms   p99 ${f(s.p99).padStart(7)} ms   (n=${s.n})${extra}`;

async function main() {
  const loadBefore = os.loadavg()[0];
  execFileSync("npm", ["run", "--silent", "build"], { cwd: ROOT, stdio: ["ignore", 2, 2] });
  await ensureDatabase(DATABASE_URL);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "thrive-bench-"));
  const env = { ...process.env, DATABASE_URL, DATA_DIR: dataDir, MASTER_KEY: crypto.randomBytes(32).toString("base64") };
  let server: ChildProcess | undefined;
  const pg = new Client({ connectionString: DATABASE_URL });
  try {
    const tenant = provisionTenant(ROOT, env, "timeseries-bench");
    const started = await startServer(ROOT, {
      ...env,
      LOG_LEVEL: process.env.BENCH_SERVER_LOG_LEVEL || "warn",
      RUN_WORKERS: "false",
      RATE_LIMIT_TENANT_PER_MINUTE: "10000000",
      RATE_LIMIT_MEMBER_PER_MINUTE: "10000000",
      SHUTDOWN_TIMEOUT_MS: "2000",
    });
    server = started.child;
    const base = started.base;
    await pg.connect();

    const ingest = await ingestPhase(base, tenant.tenant_api_key, server);
    const reader = await member(base, tenant.tenant_api_key);
    const year = await loadYear(base, reader);
    const [{ id: internalId }] = (await pg.query<{ id: string }>("select id from users where partner_user_id = $1", [reader.userId])).rows as [{ id: string }];
    const priority = (process.env.METRIC_SOURCE_PRIORITY || "partner,apple_health,health_connect,oura,garmin,fitbit,whoop,withings,polar").split(",");
    const cold = await readPhase(base, reader);
    const coldSql = await sqlRollup(pg, internalId, priority);
    const coldSamples = await sqlRollup(pg, internalId, priority, true);
    await pg.query("vacuum (analyze) timeseries_samples, timeseries_hourly");
    const warm = await readPhase(base, reader);
    const warmSql = await sqlRollup(pg, internalId, priority);
    const warmSamples = await sqlRollup(pg, internalId, priority, true);
    const warmPages = [
      [10, 0],
      [10, 8000],
      [1000, 0],
      [1000, 8000],
    ].map(([limit, offset]) => ({ limit: limit, offset: offset }));
    const warmPageSql: { limit: number; offset: number; q: Awaited<ReturnType<typeof sqlRollup>> }[] = [];
    for (const pg8 of warmPages) warmPageSql.push({ ...pg8, q: await sqlRollup(pg, internalId, priority, false, pg8.limit, pg8.offset) });
    const hourlyRows = (await pg.query<{ n: string }>("select count(*) as n from timeseries_hourly")).rows[0].n;
    const tableRows = (await pg.query<{ n: string }>("select count(*) as n from timeseries_samples")).rows[0].n;

    const rate = ingest.accepted / (ingest.wallMs / 1000);
    const out = [
      `machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "?"}), node ${process.version}, loadavg(1m) before run ${f(loadBefore, 2)}; bench client, server and PostgreSQL share these CPUs`,
      `database: ${new URL(DATABASE_URL).pathname.slice(1)}, rows at the end: timeseries_samples ${tableRows}, timeseries_hourly ${hourlyRows}`,
      "",
      `INGEST  ${REQUESTS} requests x ${BATCH} heart_rate samples (${f(ingest.bodyBytes / 1024)} KiB body), concurrency ${CONCURRENCY} (one member per lane), all new samples`,
      `  ${ingest.accepted} samples in ${f(ingest.wallMs / 1000, 2)} s -> ${f(rate, 0)} samples/s   [target >= 50,000: ${rate >= 50_000 ? "PASS" : "FAIL"}]`,
      line("request latency", ingest.latency),
      `  server RSS: VmHWM ${f(ingest.hwmBefore)} MiB before ingest -> ${f(ingest.hwmAfter)} MiB after (process peak); highest sampled VmRSS during ingest ${f(ingest.rssPeak)} MiB`,
      "",
      `YEAR LOAD  ${year.total} 5-minute heart_rate samples (${iso(YEAR_START)} .. ${iso(YEAR_END)}) via REST, 5000 per request, sequential: ${year.stored} stored in ${f(year.ms / 1000, 2)} s (${f(year.total / (year.ms / 1000), 0)} samples/s)`,
      "",
      ...(
        [
          ["READS right after the load (no vacuum yet)", cold, coldSql, coldSamples],
          ["READS after VACUUM ANALYZE timeseries_samples, timeseries_hourly", warm, warmSql, warmSamples],
        ] as const
      ).flatMap(([title, reads, q, fromSamples]) => {
        return [
          `${title as string} (sequential, ${READS} timed after 3 warm-ups)`,
          line(
            "a. REST one_hour, whole year, limit=1000 (first page)",
            reads.hourlyFirstPage,
            `  rows=${reads.hourlyRows}   [target p50 <= 50 ms: ${reads.hourlyFirstPage.p50 <= 50 ? "PASS" : "FAIL"}]`,
          ),
          line("b. REST one_hour, whole year as 9 pages (per full pass)", reads.hourlyAllPages, `  rows=${reads.pagedRows}`),
          ...reads.pages.map((pg) =>
            line(`a${pg.limit === 10 ? "1" : "2"}. REST one_hour, whole year, limit=${pg.limit} offset=${pg.offset}`, pg.stats, `  rows=${pg.rows}`),
          ),
          `  [target limit=10 <= 1/5 of limit=1000 (offset 0, p50): ${pageTarget(reads.pages, 10, 0) * 5 <= pageTarget(reads.pages, 1000, 0) ? "PASS" : "FAIL"}; ` +
            `offset 8000 <= offset 0 (p50, each limit): ${[10, 1000].every((l) => pageTarget(reads.pages, l, 8000) <= pageTarget(reads.pages, l, 0)) ? "PASS" : "FAIL"}]`,
          `  whole year page by page (b. p50) ${f(reads.hourlyAllPages.p50)} ms = ${f(reads.hourlyAllPages.p50 / reads.hourlyFirstPage.p50, 2)}x one max-limit REST read (a. p50), ` +
            `${f(reads.hourlyAllPages.p50 / q.stats.p50, 2)}x one unpaged full-year read (d. p50, SQL only: REST caps limit at 1000)`,
          line("c. REST raw, whole-year window, limit=1000 (first page)", reads.rawPage, `  rows=${reads.rawRows}`),
          line(
            "d. SQL full-year one_hour from the rollup, no paging (pg client)",
            q.stats,
            `  rows=${q.rows}   [target p50 <= 50 ms: ${q.stats.p50 <= 50 ? "PASS" : "FAIL"}]`,
          ),
          line("e. SQL the same from the samples (pre-rollup statement)", fromSamples.stats, `  rows=${fromSamples.rows}`),
          "",
        ];
      }),
      "SQL pages after VACUUM (the service's one_hour statement from the rollup, pg client, no HTTP):",
      ...warmPageSql.map((x) => line(`f. SQL one_hour page limit=${x.limit} offset=${x.offset}`, x.q.stats, `  rows=${x.q.rows}`)),
      "",
      "EXPLAIN (ANALYZE, BUFFERS) of f. limit=10 offset=8000 after VACUUM:",
      ...warmPageSql[1].q.explain.map((l) => `  ${l}`),
      "",
      "EXPLAIN (ANALYZE, BUFFERS) of d. after VACUUM:",
      ...warmSql.explain.map((l) => `  ${l}`),
      "",
      "EXPLAIN (ANALYZE, BUFFERS) of e. after VACUUM:",
      ...warmSamples.explain.map((l) => `  ${l}`),
      "",
      `SQL (d., the service's one_hour read from the rollup, no provider filter; params ${JSON.stringify(warmSql.params)}):`,
      warmSql.sql.replace(/\n\s+/g, "\n  "),
      "",
      "SQL (ingest, per request in one transaction: advisory lock per member and metric, the set-based upsert, then the rollup of the touched hours):",
      "  select pg_advisory_xact_lock(hashtextextended('timeseries:{user id}:{metric}', 0))",
      "",
      `  ${INGEST_SQL.trim().replace(/\n\s*/g, "\n  ")}`,
      "",
      `  ${ROLLUP_SQL.trim().replace(/\n\s*/g, "\n  ")}`,
    ];
    console.log(out.join("\n"));
  } finally {
    await pg.end().catch(() => undefined);
    await stopServer(server);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exitCode = 1;
});
