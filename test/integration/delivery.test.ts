import { QueueServiceClient } from "@azure/storage-queue";
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import amqp from "amqplib";
import Redis from "ioredis";
import { createSqsServer } from "local-aws-sqs";
import { connect as natsConnect, type NatsConnection } from "nats";
import crypto from "node:crypto";
import type http from "node:http";
import type net from "node:net";
import { ADAPTERS, Dispatcher, emitEvent, verifySignature } from "../../resolvers/event-stream";
import { startAzuriteQueue, type AzuriteQueue } from "../helpers/azurite";
import { startHarness, waitFor, type Harness, type TestTenant } from "../helpers/harness";
import { itIf, servicesUp } from "../helpers/services";
import { startReceiver } from "../helpers/webhook-receiver";

/**
 * Every destination type we can run on loopback, end to end: registered through the REST API
 * (with its synthetic test publish), an event committed, the dispatcher delivers, and the
 * consumer verifies the envelope's signature with the partner's secret.
 */
const up = servicesUp("RabbitMQ", "NATS", "Redis");
let h: Harness;
let dispatcher: Dispatcher;
beforeAll(async () => {
  h = await startHarness({ isolated: true, env: { EVENT_WEBHOOK_ALLOW_PRIVATE: "true" } });
  dispatcher = new Dispatcher(h.app.deps, ADAPTERS);
});
afterAll(async () => {
  await dispatcher.close();
  await h.stop();
});

const unique = (p: string) => `${p}-${crypto.randomUUID().slice(0, 8)}`;

/** Registers `default`, commits one program.updated, dispatches, and checks what the consumer got. */
async function roundTrip(settings: Record<string, unknown>, consume: (eventId: string) => Promise<string>) {
  const t: TestTenant = await h.tenant();
  const reg = await h.req("POST", "/v1/admin/org/queues/default", { key: t.key, body: settings });
  expect([reg.status, reg.body?.error?.message]).toEqual([201, undefined]);
  const userId = crypto.randomUUID();
  const ev = await h
    .em()
    .transactional((em) =>
      emitEvent(em, { orgId: t.orgId, type: "program.updated", subjectUserId: userId, body: { user_id: userId, reason: "delivery matrix" }, occurredAt: new Date() }),
    );
  await dispatcher.drain();
  const envelope = JSON.parse(await consume(ev.id));
  expect(envelope).toMatchObject({ event_id: ev.id, event_type: "program.updated", org_id: t.orgId, user_id: userId });
  expect(JSON.parse(envelope.body)).toEqual({ user_id: userId, reason: "delivery matrix" });
  expect(verifySignature(t.signingSecret, envelope)).toBe(true);
  const detail = await h.req("GET", `/v1/admin/org/events/${ev.id}`, { key: t.key });
  expect(detail.body.data).toMatchObject({ status: "delivered", attempts: 1 });
}

const byId = (eventId: string) => (raw: string) => (JSON.parse(raw).event_id === eventId ? raw : undefined);

describe("delivery to each queue type with a valid signature", () => {
  it("https_webhook", async () => {
    const r = await startReceiver();
    try {
      await roundTrip({ type: "https_webhook", https_webhook: { url: r.url } }, async (id) => (await r.waitFor((x) => x.envelope.event_id === id)).body);
    } finally {
      await r.close();
    }
  });

  itIf(up.RabbitMQ)("amqp (RabbitMQ)", async () => {
    const conn = await amqp.connect("amqp://guest:guest@127.0.0.1:5672");
    const ch = await conn.createChannel();
    const queue = unique("thrive-matrix");
    await ch.assertQueue(queue, { durable: false, autoDelete: false });
    try {
      await roundTrip({ type: "amqp", amqp: { url: "amqp://guest:guest@127.0.0.1:5672", queue } }, (id) =>
        waitFor(async () => {
          const msg = await ch.get(queue, { noAck: true });
          return msg ? byId(id)(msg.content.toString()) : undefined;
        }),
      );
    } finally {
      await ch.deleteQueue(queue);
      await conn.close();
    }
  });

  itIf(up.NATS)("nats (JetStream)", async () => {
    const nc: NatsConnection = await natsConnect({ servers: "127.0.0.1:4222" });
    const jsm = await nc.jetstreamManager();
    const stream = unique("THRIVE_MATRIX").replace(/-/g, "_");
    const subject = `thrive.matrix.${stream}`;
    await jsm.streams.add({ name: stream, subjects: [subject] });
    try {
      await roundTrip({ type: "nats", nats: { url: "nats://127.0.0.1:4222", subject } }, (id) =>
        waitFor(async () => {
          const info = await jsm.streams.info(stream);
          for (let seq = 1; seq <= info.state.last_seq; seq++) {
            const m = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
            const hit = m && byId(id)(new TextDecoder().decode(m.data));
            if (hit) return hit;
          }
          return undefined;
        }),
      );
    } finally {
      await jsm.streams.delete(stream);
      await nc.close();
    }
  });

  itIf(up.Redis)("redis_stream", async () => {
    const redis = new Redis("redis://127.0.0.1:6379");
    const stream = unique("thrive:matrix");
    await redis.xgroup("CREATE", stream, "partner-consumers", "$", "MKSTREAM"); // the partner creates its stream
    try {
      await roundTrip({ type: "redis_stream", redis_stream: { url: "redis://127.0.0.1:6379", stream } }, (id) =>
        waitFor(async () => {
          for (const [, fields] of await redis.xrange(stream, "-", "+")) {
            const body = fields[fields.indexOf("body") + 1];
            if (body && byId(id)(body)) return body;
          }
          return undefined;
        }),
      );
    } finally {
      await redis.del(stream);
      redis.disconnect();
    }
  });

  it("azure_storage_queue (Azurite)", async () => {
    const azurite: AzuriteQueue = await startAzuriteQueue();
    try {
      const name = unique("thrive-matrix").toLowerCase();
      const q = QueueServiceClient.fromConnectionString(azurite.connectionString).getQueueClient(name);
      await q.create();
      await roundTrip(
        { type: "azure_storage_queue", azure_storage_queue: { account_name: "devstoreaccount1", queue_name: name, connection_string: azurite.connectionString } },
        (id) =>
          waitFor(async () => {
            const { receivedMessageItems } = await q.receiveMessages({ numberOfMessages: 32 });
            for (const m of receivedMessageItems) if (byId(id)(m.messageText)) return m.messageText;
            return undefined;
          }),
      );
    } finally {
      await azurite.stop();
    }
  });

  it("aws_sqs (local SQS-compatible server)", async () => {
    const region = "eu-west-1";
    const account = "123456789012";
    const server: http.Server = await createSqsServer({ port: 0, hostname: "127.0.0.1", region, accountId: account });
    const endpoint = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    const keys = { accessKeyId: "AKIAMATRIXTEST000000", secretAccessKey: "matrix-secret-key-0000000000000000000000" };
    const sqs = new SQSClient({ region, endpoint, credentials: { ...keys } });
    try {
      const name = unique("thrive-matrix");
      const url = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
      await roundTrip(
        {
          type: "aws_sqs",
          aws_sqs: { queue_arn: `arn:aws:sqs:${region}:${account}:${name}`, region, endpoint, access_key_id: keys.accessKeyId, secret_access_key: keys.secretAccessKey },
        },
        (id) =>
          waitFor(async () => {
            const res = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
            for (const m of res.Messages ?? []) if (m.Body && byId(id)(m.Body)) return m.Body;
            return undefined;
          }),
      );
    } finally {
      sqs.destroy();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
