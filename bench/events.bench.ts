/**
 * Event stream benchmark, on the built server (dist/) against real PostgreSQL and RabbitMQ on loopback.
 *
 * 1. Dispatch to RabbitMQ. A unique durable queue is declared (amqplib) and registered as the org's
 *    `default` queue over REST. BENCH_EVENTS `program.updated` rows are written straight into the
 *    `events` outbox the way resolvers/event-stream/emit.ts writes them (multi-row INSERTs of
 *    BENCH_INSERT_BATCH rows, one transaction each, ending with `pg_notify('thrive_events', '{}')`: a
 *    notice without `type` wakes the dispatcher and is ignored by subscriptions). occurred_at =
 *    next_attempt_at = created_at = the wall clock at the start of that transaction (emit.ts also stamps
 *    before committing). A consumer in this process (prefetch 1000, manual ack) takes the envelopes.
 *    Reported: events/s from the first commit to the last receive, latency from each event's COMMIT
 *    returning to the bench to its receipt, duplicates, missing events, and a sample of signatures
 *    checked with verifySignature and the tenant's signing secret.
 * 2. Subscription fan-out: BENCH_SUBSCRIBERS graphql-ws subscriptions to `events(types: ["test.ping"])`
 *    spread over BENCH_WS_CLIENTS connections. Warm-up test.pings are sent until every subscription has
 *    received one (graphql-ws has no subscribe ack). Then BENCH_FANOUT_EVENTS test.pings, 200 ms apart,
 *    via POST /v1/admin/org/queues/default/test. Latency per delivery is measured from three points:
 *    the bench's own LISTEN hearing the event's NOTIFY (= its commit; used for the target), the POST
 *    being sent (a true upper bound: adds request handling and the commit) and the POST returning (NOT
 *    an upper bound: the server fans out before it writes the response, so it can even be negative).
 *
 *   node scripts/ts-run.js bench/events.bench.ts
 *   BENCH_EVENTS=50000 EVENT_BATCH_SIZE=1000 DB_POOL_MAX=20 node scripts/ts-run.js bench/events.bench.ts
 *
 * Env: DATABASE_URL (postgres://postgres@127.0.0.1:5432/thrive_bench), AMQP_URL (amqp://guest:guest@127.0.0.1:5672),
 * BENCH_EVENTS (20000), BENCH_INSERT_BATCH (500), BENCH_TIMEOUT_S (120), BENCH_SUBSCRIBERS (1000), BENCH_WS_CLIENTS (50),
 * BENCH_FANOUT_EVENTS (20), BENCH_RATE (unset: insert as fast as possible); EVENT_BATCH_SIZE (500 here), DB_POOL_MAX and EVENT_POLL_MS are passed to the server.
 * Targets are printed with PASS/FAIL only; the exit code is non-zero only when the run failed (missing or
 * duplicated events, bad signatures, subscription errors, undelivered notices, server crash).
 */
import { execFileSync, type ChildProcess } from "node:child_process";
import { connect, type Channel, type ChannelModel } from "amqplib";
import { createClient, type Client as WsClient } from "graphql-ws";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Client } from "pg";
import WebSocket from "ws";
import { verifySignature } from "../resolvers/event-stream/signature";
import { alive, call, ensureDatabase, provisionTenant, sleep, startServer, stats, stopServer, waitUntil, type Stats } from "./lib/server-process";

const ROOT = path.resolve(__dirname, "..");
const DATABASE_URL = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/thrive_bench";
const AMQP_URL = process.env.AMQP_URL || "amqp://guest:guest@127.0.0.1:5672";
const posInt = (name: string, def: number) => {
  const n = Number(process.env[name] || def);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer`);
  return n;
};
const EVENTS = posInt("BENCH_EVENTS", 20_000);
const INSERT_BATCH = posInt("BENCH_INSERT_BATCH", 500);
const TIMEOUT_MS = posInt("BENCH_TIMEOUT_S", 120) * 1000;
const SUBSCRIBERS = posInt("BENCH_SUBSCRIBERS", 1000);
const WS_CLIENTS = Math.min(posInt("BENCH_WS_CLIENTS", 50), SUBSCRIBERS);
const FANOUT_EVENTS = posInt("BENCH_FANOUT_EVENTS", 20);
/** Optional: pace the producer to this many events/s (default: as fast as possible). */
const RATE = process.env.BENCH_RATE ? posInt("BENCH_RATE", 1) : undefined;
const SERVER_ENV = {
  LOG_LEVEL: "warn",
  RUN_WORKERS: "true",
  EVENT_WEBHOOK_ALLOW_PRIVATE: "true", // loopback broker: the adapters refuse it otherwise
  EVENT_BATCH_SIZE: process.env.EVENT_BATCH_SIZE || "500",
  RATE_LIMIT_TENANT_PER_MINUTE: "10000000",
  RATE_LIMIT_MEMBER_PER_MINUTE: "10000000", // the maximum server/config.ts accepts
  SHUTDOWN_TIMEOUT_MS: "2000",
};
/** Shown in the output; DB_POOL_MAX and EVENT_POLL_MS reach the server through process.env when set. */
const SHOWN_ENV = { ...SERVER_ENV, DB_POOL_MAX: process.env.DB_POOL_MAX || "10 (default)", EVENT_POLL_MS: process.env.EVENT_POLL_MS || "1000 (default)" };
const SUB_QUERY = `subscription { events(types: ["test.ping"]) { eventId occurredAt } }`;
const f = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : "n/a");
const progress = (s: string) => process.stderr.write(`${s}\n`);

/** Phase 1: BENCH_EVENTS outbox rows -> dispatcher -> RabbitMQ -> our consumer. */
async function dispatchPhase(
  base: string,
  tenantH: Record<string, string>,
  tenant: { org_id: string; signing_secret: string },
  ch: Channel,
  queue: string,
  server: ChildProcess,
) {
  const commitAt = new Map<string, number>(); // event id -> performance.now() when its COMMIT returned
  const recvAt = new Map<string, number>(); // event id -> first receipt
  let duplicates = 0,
    other = 0,
    badSignatures = 0,
    checkedSignatures = 0;
  await ch.prefetch(1000);
  await ch.consume(
    queue,
    (msg) => {
      if (!msg) return;
      const t = performance.now();
      ch.ack(msg);
      const env = JSON.parse(msg.content.toString()) as { event_id: string; event_type: string; signed_at: string; body: string; signature: string };
      if (env.event_type !== "program.updated") return void other++; // the registration probe and phase 2's test.pings
      if (recvAt.has(env.event_id)) return void duplicates++;
      recvAt.set(env.event_id, t);
      if (recvAt.size % 97 === 1) {
        checkedSignatures++;
        if (!verifySignature(tenant.signing_secret, env) || msg.properties.headers?.["taih-signature"] !== env.signature) badSignatures++;
      }
    },
    { noAck: false },
  );
  await call(base, "POST", "/v1/admin/org/queues/default", tenantH, { type: "amqp", amqp: { url: AMQP_URL, queue } });

  const pg = new Client({ connectionString: DATABASE_URL });
  await pg.connect();
  try {
    progress(`phase 1: inserting ${EVENTS} events in transactions of ${INSERT_BATCH}`);
    let firstCommit = NaN;
    const productionStart = performance.now();
    for (let done = 0; done < EVENTS; done += INSERT_BATCH) {
      const n = Math.min(INSERT_BATCH, EVENTS - done);
      const ids = Array.from({ length: n }, () => crypto.randomUUID());
      const params: unknown[] = [tenant.org_id, new Date()];
      const values = ids.map((id, i) => {
        const subject = crypto.randomUUID();
        params.push(id, subject, JSON.stringify({ user_id: subject, reason: "bench" }));
        const p = 3 + i * 3;
        return `($${p}, $1, null, $${p + 1}, 'program.updated', 'coaching', null, $2, $${p + 2}, 'pending', 0, $2, $2)`;
      });
      await pg.query("begin");
      await pg.query(
        `insert into events (id, org_id, user_id, subject_user_id, event_type, stream, target_queue, occurred_at, body, status, attempts, next_attempt_at, created_at)
         values ${values.join(", ")}`,
        params,
      );
      await pg.query("select pg_notify('thrive_events', '{}')");
      await pg.query("commit");
      const t = performance.now();
      if (done === 0) firstCommit = t;
      for (const id of ids) commitAt.set(id, t);
      if (RATE) await sleep(productionStart + ((done + n) / RATE) * 1000 - performance.now());
    }
    const producedMs = performance.now() - productionStart;
    progress(`phase 1: all committed; waiting up to ${TIMEOUT_MS / 1000} s for delivery`);
    await waitUntil(
      () => recvAt.size >= EVENTS,
      TIMEOUT_MS,
      () => {
        if (!alive(server)) throw new Error("server died during the dispatch phase");
      },
    );
    const { rows } = await pg.query<{ status: string; n: string }>(
      "select status::text, count(*) as n from events where org_id = $1 and event_type = 'program.updated' group by 1 order by 1",
      [tenant.org_id],
    );
    const latencies: number[] = [];
    for (const [id, t] of recvAt) if (commitAt.has(id)) latencies.push(t - commitAt.get(id)!);
    const lastRecv = [...recvAt.values()].reduce((a, b) => Math.max(a, b), -Infinity);
    return {
      received: recvAt.size,
      missing: [...commitAt.keys()].filter((id) => !recvAt.has(id)).length,
      duplicates,
      other,
      badSignatures,
      checkedSignatures,
      producedMs,
      spanMs: lastRecv - firstCommit,
      lat: stats(latencies),
      outbox: rows.map((r) => `${r.status}=${r.n}`).join(" "),
    };
  } finally {
    await pg.end();
  }
}

/** Phase 2: BENCH_SUBSCRIBERS graphql-ws subscriptions, test.pings one at a time. */
async function fanoutPhase(base: string, tenantH: Record<string, string>, key: string, clients: WsClient[], server: ChildProcess) {
  const deliveries = new Map<string, number[]>(); // event id -> receive times
  const seen = new Uint8Array(SUBSCRIBERS); // subscription received anything (warm-up)
  let seenCount = 0;
  const errors: string[] = [];
  for (let c = 0; c < WS_CLIENTS; c++) {
    clients.push(
      createClient({
        url: `${base.replace("http", "ws")}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { "taih-tenant-key": key },
        lazy: false,
        retryAttempts: 0,
        onNonLazyError: (e) => void errors.push(`client ${c}: ${String((e as { code?: number }).code ?? e)}`),
      }),
    );
  }
  for (let s = 0; s < SUBSCRIBERS; s++) {
    clients[s % WS_CLIENTS].subscribe<{ events: { eventId: string } }>(
      { query: SUB_QUERY },
      {
        next: (v) => {
          const t = performance.now();
          const id = v.data?.events.eventId;
          if (!id) return void errors.push(`subscription ${s}: ${JSON.stringify(v.errors)}`);
          const list = deliveries.get(id) ?? [];
          list.push(t);
          deliveries.set(id, list);
          if (!seen[s]) {
            seen[s] = 1;
            seenCount++;
          }
        },
        error: (e) => void errors.push(`subscription ${s}: ${e instanceof Error ? e.message : JSON.stringify(e)}`),
        complete: () => void errors.push(`subscription ${s} completed early`),
      },
    );
  }
  const check = () => {
    if (!alive(server)) throw new Error("server died during the fan-out phase");
    if (errors.length) throw new Error(`subscription errors: ${errors.slice(0, 3).join("; ")}`);
  };
  progress(`phase 2: ${SUBSCRIBERS} subscriptions on ${WS_CLIENTS} connections; warming up`);
  const ping = () =>
    call(base, "POST", "/v1/admin/org/queues/default/test", tenantH).catch((e) => {
      check();
      throw e;
    });
  const warmDeadline = performance.now() + 30_000;
  let warmups = 0;
  while (seenCount < SUBSCRIBERS) {
    if (performance.now() > warmDeadline) throw new Error(`only ${seenCount}/${SUBSCRIBERS} subscriptions live after 30 s of warm-up`);
    await ping();
    warmups++;
    await waitUntil(() => seenCount >= SUBSCRIBERS, 500, check);
  }
  await sleep(1000); // let the last warm-up fan-out settle
  // The commit reference: PostgreSQL delivers emit.ts's NOTIFY to every listener at COMMIT, so this
  // process hears it at (about) the moment the server's listener does, independent of the HTTP response.
  const notifiedAt = new Map<string, number>();
  const listener = new Client({ connectionString: DATABASE_URL });
  listener.on("notification", (n) => {
    const id = (JSON.parse(n.payload ?? "{}") as { id?: string }).id;
    if (id) notifiedAt.set(id, performance.now());
  });
  await listener.connect();
  try {
    await listener.query("listen thrive_events");
    progress(`phase 2: all subscribed after ${warmups} warm-up event(s); sending ${FANOUT_EVENTS} measured events`);
    const sent: { id: string; t0: number; t1: number }[] = [];
    for (let i = 0; i < FANOUT_EVENTS; i++) {
      const t0 = performance.now();
      const res = await ping();
      const t1 = performance.now();
      const id = res.data?.event_id;
      if (typeof id !== "string") throw new Error(`no data.event_id: ${JSON.stringify(res)}`);
      sent.push({ id, t0, t1 });
      await sleep(200);
      const ts = deliveries.get(id) ?? [],
        n = notifiedAt.get(id) ?? NaN;
      progress(
        `  event ${i + 1}: POST ${f(t1 - t0)} ms, NOTIFY heard +${f(n - t0)} ms, ${ts.length} deliveries so far, from +${f(Math.min(...ts) - t0)} to +${f(Math.max(...ts) - t0)} ms after the POST was sent`,
      );
    }
    const expected = FANOUT_EVENTS * SUBSCRIBERS;
    const got = () => sent.reduce((a, s) => a + (deliveries.get(s.id)?.length ?? 0), 0);
    await waitUntil(() => got() >= expected, 10_000, check);
    check();
    const fromNotify: number[] = [],
      fromSent: number[] = [],
      fromReturned: number[] = [],
      postMs: number[] = [];
    for (const s of sent) {
      postMs.push(s.t1 - s.t0);
      const n = notifiedAt.get(s.id);
      if (n === undefined) throw new Error(`the NOTIFY of ${s.id} was not heard`);
      for (const t of deliveries.get(s.id) ?? []) {
        fromNotify.push(t - n);
        fromSent.push(t - s.t0);
        fromReturned.push(t - s.t1);
      }
    }
    return { expected, received: got(), warmups, commit: stats(fromNotify), upper: stats(fromSent), lower: stats(fromReturned), post: stats(postMs) };
  } finally {
    await listener.end();
  }
}

async function main() {
  const loadBefore = os.loadavg()[0];
  execFileSync("npm", ["run", "--silent", "build"], { cwd: ROOT, stdio: ["ignore", 2, 2] });
  await ensureDatabase(DATABASE_URL);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "thrive-bench-"));
  const env = { ...process.env, DATABASE_URL, DATA_DIR: dataDir, MASTER_KEY: crypto.randomBytes(32).toString("base64") };
  const queue = `thrive-bench-events-${crypto.randomUUID()}`;
  let server: ChildProcess | undefined, amqp: ChannelModel | undefined, orgId: string | undefined;
  const wsClients: WsClient[] = [];
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      await Promise.allSettled(wsClients.map(async (c) => c.dispose()));
      await stopServer(server);
      if (amqp) {
        await amqp
          .createChannel()
          .then((c) => c.deleteQueue(queue))
          .catch((e) => progress(`could not delete queue ${queue}: ${e}`));
        await amqp.close().catch(() => undefined);
      }
      if (orgId) {
        // keep thrive_bench small and free of stale pending events for the next run
        const pg = new Client({ connectionString: DATABASE_URL });
        await pg.connect();
        await pg
          .query("delete from org_queues where org_id = $1", [orgId])
          .then(() => pg.query("delete from events where org_id = $1", [orgId]))
          .catch((e) => progress(`could not delete the bench rows: ${e}`))
          .finally(() => pg.end());
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    })());
  const onSignal = () => void cleanup().finally(() => process.exit(130));
  process.once("SIGINT", onSignal).once("SIGTERM", onSignal);
  try {
    const tenant = provisionTenant(ROOT, env, "bench-events");
    orgId = tenant.org_id;
    const started = await startServer(ROOT, { ...env, ...SERVER_ENV });
    server = started.child;
    const tenantH = { "taih-tenant-key": tenant.tenant_api_key };
    amqp = await connect(AMQP_URL);
    const ch = await amqp.createChannel();
    await ch.assertQueue(queue, { durable: true });

    const d = await dispatchPhase(started.base, tenantH, tenant, ch, queue, server);
    const fo = await fanoutPhase(started.base, tenantH, tenant.tenant_api_key, wsClients, server);

    const rate = (d.received / d.spanMs) * 1000;
    const verdict = (ok: boolean) => (ok ? "PASS" : "FAIL");
    const row = (name: string, s: Stats) => `  ${name.padEnd(44)}${f(s.p50).padStart(9)}${f(s.p99).padStart(9)}${f(s.max).padStart(9)}${String(s.n).padStart(9)}`;
    const head = `  ${"latency (ms)".padEnd(44)}${"p50".padStart(9)}${"p99".padStart(9)}${"max".padStart(9)}${"n".padStart(9)}`;
    console.log(
      [
        `machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "?"}), node ${process.version}, ${os.platform()} ${os.arch()}, loadavg(1m) before run ${f(loadBefore, 2)}` +
          (loadBefore > 1 ? " (other work on this machine competed: figures are noisy)" : ""),
        `         the bench process (producer, AMQP consumer, ${SUBSCRIBERS} subscribers), the server, PostgreSQL and RabbitMQ all share these CPUs`,
        `server:  ${Object.entries(SHOWN_ENV)
          .map(([k, v]) => `${k}=${v}`)
          .join(" ")}`,
        `bench:   BENCH_EVENTS=${EVENTS} BENCH_INSERT_BATCH=${INSERT_BATCH} BENCH_RATE=${RATE ?? "unpaced"} BENCH_SUBSCRIBERS=${SUBSCRIBERS} BENCH_WS_CLIENTS=${WS_CLIENTS} ` +
          `(${Math.ceil(SUBSCRIBERS / WS_CLIENTS)} subscriptions per connection) BENCH_FANOUT_EVENTS=${FANOUT_EVENTS}; durable queue, persistent messages, publisher confirms`,
        "",
        "1) outbox -> dispatcher -> RabbitMQ (amqp, default queue) -> consumer",
        `  events: ${EVENTS} inserted in ${f(d.producedMs / 1000, 2)} s (${f((EVENTS / d.producedMs) * 1000, 0)} events/s committed); ` +
          `received ${d.received}, missing ${d.missing}, duplicates ${d.duplicates}; other messages ${d.other}; outbox: ${d.outbox}`,
        `  first commit -> last receive: ${f(d.spanMs / 1000, 2)} s = ${f(rate, 0)} events/s dispatched`,
        `  signatures verified: ${d.checkedSignatures - d.badSignatures}/${d.checkedSignatures} sampled (verifySignature + taih-signature header)`,
        head,
        row("commit returned -> consumer received", d.lat),
        ...(RATE ? [] : ["  (unpaced burst: events queue behind the backlog, so p99 ~ BENCH_EVENTS / dispatch rate; BENCH_RATE measures steady state)"]),
        "",
        `2) graphql-ws fan-out: test.ping to ${SUBSCRIBERS} subscriptions (${WS_CLIENTS} connections), ${FANOUT_EVENTS} events 200 ms apart`,
        `  deliveries: ${fo.received}/${fo.expected}; ${fo.warmups} warm-up event(s) before all subscriptions were live`,
        head,
        row("commit (NOTIFY heard here) -> subscriber", fo.commit),
        row("POST sent -> subscriber (upper bound)", fo.upper),
        row("POST returned -> subscriber (as briefed)", fo.lower),
        row("POST /v1/admin/org/queues/default/test (HTTP)", fo.post),
        "  (the commit happens inside the POST: 'POST sent' adds the request handling and the commit; 'POST returned' is NOT an",
        "   upper bound: the server fans out before it writes the response, so it can be < 0. Receive times include the bench's",
        "   own event loop parsing all deliveries on the shared CPUs.)",
        "",
        "targets",
        `  dispatch >= 2000 events/s:      ${f(rate, 0).padStart(8)} events/s  ${verdict(rate >= 2000)}`,
        `  dispatch e2e p99 <= 500 ms:     ${f(d.lat.p99).padStart(8)} ms        ${verdict(d.lat.p99 <= 500)}`,
        `  fan-out p99 <= 250 ms:          ${f(fo.commit.p99).padStart(8)} ms        ${verdict(fo.commit.p99 <= 250)} (commit -> subscriber; from POST sent: ${f(fo.upper.p99)} ms)`,
      ].join("\n"),
    );
    const failures = [
      d.missing && `${d.missing} events never arrived`,
      d.duplicates && `${d.duplicates} duplicate deliveries`,
      d.badSignatures && `${d.badSignatures} bad signatures`,
      fo.received !== fo.expected && `fan-out delivered ${fo.received}/${fo.expected}`,
    ].filter(Boolean);
    if (failures.length) throw new Error(`run failed: ${failures.join(", ")}`);
  } finally {
    await cleanup();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
