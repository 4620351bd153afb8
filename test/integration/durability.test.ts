import amqp from "amqplib";
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import path from "node:path";
import { EventRecord, EventStatus } from "../../entities/event-stream/event.entity";
import { ADAPTERS, Dispatcher, emitEvent } from "../../resolvers/event-stream";
import { startHarness, TEST_MASTER_KEY, waitFor, type Harness, type TestTenant } from "../helpers/harness";
import { itIf, servicesUp } from "../helpers/services";
import { startTcpProxy } from "../helpers/tcp-proxy";
import { startReceiver } from "../helpers/webhook-receiver";

/** Time is real plus an offset the tests move forward (retries and leases without sleeping). */
const clock = { offsetMs: 0 };
let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    isolated: true,
    now: () => new Date(Date.now() + clock.offsetMs),
    env: { EVENT_WEBHOOK_ALLOW_PRIVATE: "true", EVENT_ACK_TIMEOUT_MS: "3000", EVENT_BATCH_SIZE: "50" },
  });
});
afterAll(() => h.stop());

async function emitMany(t: TestTenant, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 50) {
    await h.em().transactional(async (em) => {
      for (let j = i; j < Math.min(n, i + 50); j++) {
        const userId = crypto.randomUUID();
        const ev = await emitEvent(em, {
          orgId: t.orgId,
          type: "program.updated",
          subjectUserId: userId,
          body: { user_id: userId, reason: `n${j}` },
          occurredAt: new Date(Date.now() + clock.offsetMs),
        });
        ids.push(ev.id);
      }
    });
  }
  return ids;
}

const statuses = async (t: TestTenant) => (await h.em().find(EventRecord, { org: t.orgId })).map((e) => e.status);

itIf(servicesUp("RabbitMQ").RabbitMQ)(
  "loses nothing when the broker goes away mid-stream and comes back; duplicates keep their event_id",
  async () => {
    const proxy = await startTcpProxy(5672);
    const conn = await amqp.connect("amqp://guest:guest@127.0.0.1:5672");
    const ch = await conn.createChannel();
    const queue = `thrive-durability-${crypto.randomUUID().slice(0, 8)}`;
    await ch.assertQueue(queue, { durable: true });
    const seen: string[] = [];
    await ch.consume(queue, (m) => {
      if (!m) return;
      const env = JSON.parse(m.content.toString());
      if (env.event_type === "program.updated") seen.push(env.event_id);
      ch.ack(m);
    });
    const dispatcher = new Dispatcher(h.app.deps, ADAPTERS);
    try {
      const t = await h.tenant();
      const reg = await h.req("POST", "/v1/admin/org/queues/default", {
        key: t.key,
        body: { type: "amqp", amqp: { url: `amqp://guest:guest@127.0.0.1:${proxy.port}`, queue } },
      });
      expect(reg.status).toBe(201);
      // Small passes (50) over many events, so the cut always lands mid-stream.
      const ids = await emitMany(t, 1000);

      // Cut the broker while the dispatcher is publishing.
      const pass = dispatcher.drain();
      await waitFor(async () => (seen.length >= 20 ? true : undefined), { intervalMs: 5 });
      await proxy.cut();
      const first = await pass;
      expect(first.failed).toBeGreaterThan(0);
      expect(await statuses(t)).toContain("pending");

      // Broker back; a minute later (the first retry) everything is delivered.
      await proxy.restore();
      clock.offsetMs += 61_000;
      await dispatcher.drain();
      await waitFor(async () => (new Set(seen).size >= ids.length ? true : undefined));
      expect(new Set(seen)).toEqual(new Set(ids));
      expect(seen.every((id) => ids.includes(id))).toBe(true);
      expect(new Set(await statuses(t))).toEqual(new Set(["delivered"]));
    } finally {
      await dispatcher.close();
      await ch.deleteQueue(queue);
      await conn.close();
      await proxy.cut();
    }
  },
  60_000,
);

it("loses nothing when a worker process is killed mid-batch", async () => {
  clock.offsetMs = 0; // the worker process runs on real time
  const receiver = await startReceiver();
  const t = await h.tenant();
  expect((await h.req("POST", "/v1/admin/org/queues/default", { key: t.key, body: { type: "https_webhook", https_webhook: { url: receiver.url } } })).status).toBe(201);
  receiver.state.hang = true;
  const worker = spawn(process.execPath, [path.resolve(__dirname, "../../scripts/ts-run.js"), "server/worker.ts"], {
    cwd: path.resolve(__dirname, "../.."),
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: h.databaseUrl,
      MASTER_KEY: TEST_MASTER_KEY.toString("base64"),
      LOG_LEVEL: "warn",
      EVENT_WEBHOOK_ALLOW_PRIVATE: "true",
      EVENT_DISPATCH: "true",
      JOB_QUEUE: `killed-${crypto.randomUUID().slice(0, 8)}`,
    },
    stdio: "ignore",
  });
  try {
    const ids = await emitMany(t, 30);
    // The worker has claimed the batch and is waiting on the (stuck) partner endpoint: kill it.
    await waitFor(async () => (receiver.of("program.updated").length >= 5 ? true : undefined), { timeoutMs: 60_000, intervalMs: 20 });
    worker.kill("SIGKILL");
    await new Promise((r) => worker.once("exit", r));
    receiver.state.hang = false;
    const beforeRecovery = receiver.received.length;
    const rows = await h.em().find(EventRecord, { id: { $in: ids } });
    expect(rows.every((r) => r.status === EventStatus.pending)).toBe(true);

    // After the claim lease, another dispatcher delivers every event.
    const dispatcher = new Dispatcher(h.app.deps, ADAPTERS);
    clock.offsetMs += 61_000;
    await dispatcher.drain();
    await dispatcher.close();
    const delivered = new Set(receiver.received.slice(beforeRecovery).map((r) => r.envelope.event_id));
    for (const id of ids) expect(delivered.has(id)).toBe(true);
    expect(new Set(await statuses(t))).toEqual(new Set(["delivered"]));
  } finally {
    if (worker.exitCode === null) worker.kill("SIGKILL");
    await receiver.close();
  }
}, 90_000);
