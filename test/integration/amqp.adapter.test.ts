import { connect, type Channel, type ChannelModel } from "amqplib";
import crypto from "node:crypto";
import net from "node:net";
import { amqpAdapter } from "../../resolvers/event-stream/adapters/amqp.adapter";
import type { QueuePublisher } from "../../resolvers/event-stream/adapters/types";
import { detailsOf, sampleMessage, expectLoopbackHostRefused } from "../helpers/adapter-kit";
import { waitFor } from "../helpers/harness";
import { itIf, servicesUp } from "../helpers/services";

const PORT = 5672;
const BROKER = `amqp://guest:guest@127.0.0.1:${PORT}`;
const allow = { allowPrivateTargets: true };
const deny = { allowPrivateTargets: false };

const available = servicesUp("RabbitMQ").RabbitMQ;
/** Tests that talk to the broker: reported as skipped when it is not running (see servicesUp). */
const brokerTest = itIf(available);
let admin: ChannelModel | undefined;
let channel: Channel;
const queues: string[] = [];
const publishers: QueuePublisher[] = [];
const servers: { server: net.Server; sockets: Set<net.Socket> }[] = [];

/** A TCP relay to the broker that can stop relaying; without a target it accepts and never speaks. */
async function relay(targetPort?: number) {
  const state = { frozen: targetPort === undefined, port: 0 };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on("error", () => undefined);
    if (targetPort === undefined) return;
    const upstream = net.connect(targetPort, "127.0.0.1");
    sockets.add(upstream);
    const end = () => [client, upstream].forEach((s) => s.destroy());
    client.on("data", (d) => !state.frozen && upstream.write(d));
    upstream.on("data", (d) => !state.frozen && client.write(d));
    for (const s of [client, upstream]) s.on("close", end).on("error", end);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.port = (server.address() as net.AddressInfo).port;
  servers.push({ server, sockets });
  return state;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function declareQueue(): Promise<string> {
  const name = `taih-test-${crypto.randomUUID()}`;
  await channel.assertQueue(name, { durable: false, autoDelete: false });
  queues.push(name);
  return name;
}

async function open(url: string, queue: string): Promise<QueuePublisher> {
  const publisher = await amqpAdapter.connect(amqpAdapter.parse({ url, queue }, allow));
  publishers.push(publisher);
  return publisher;
}

beforeAll(async () => {
  if (!available) return;
  admin = await connect(BROKER);
  channel = await admin.createChannel();
});

afterAll(async () => {
  await Promise.all(publishers.map((p) => p.close()));
  for (const q of queues) await channel.deleteQueue(q).catch(() => undefined);
  await admin?.close();
  for (const { server, sockets } of servers) {
    sockets.forEach((s) => s.destroy());
    await new Promise((resolve) => server.close(resolve));
  }
});

describe("amqp adapter", () => {
  test("parse splits the URL into a redacted setting and a secret", () => {
    const destination = amqpAdapter.parse({ url: "amqps://app:s3cret-pw@mq.example.com:5671/prod", queue: "events" }, deny);
    expect(destination).toEqual({
      type: "amqp",
      settings: { url: "amqps://app:***@mq.example.com:5671/prod", queue: "events" },
      secrets: { url: "amqps://app:s3cret-pw@mq.example.com:5671/prod" },
    });
  });

  test("parse rejects missing, malformed, too long and private settings with field details", () => {
    expect(detailsOf(() => amqpAdapter.parse({}, deny))).toEqual([
      { field: "amqp.url", code: "required" },
      { field: "amqp.queue", code: "required" },
    ]);
    expect(detailsOf(() => amqpAdapter.parse({ url: "http://mq.example.com", queue: "q".repeat(256) }, deny))).toEqual([
      { field: "amqp.url", code: "invalid_value" },
      { field: "amqp.queue", code: "too_long" },
    ]);
    for (const url of ["amqp://127.0.0.1:5672", "amqp://10.0.0.1", "amqp://localhost", "amqp://[::1]", "not a url"]) {
      expect(detailsOf(() => amqpAdapter.parse({ url, queue: "q" }, deny))).toEqual([{ field: "amqp.url", code: "invalid_value" }]);
    }
  });

  test("describe never shows the password", () => {
    const shown = amqpAdapter.describe(amqpAdapter.parse({ url: "amqp://app:s3cret-pw@mq.example.com/vh", queue: "q" }, deny));
    expect(shown).toEqual({ url: "amqp://app:***@mq.example.com/vh", queue: "q" });
    expect(JSON.stringify(shown)).not.toContain("s3cret-pw");
  });

  brokerTest("a published message arrives exactly as sent, persistent, with id, type and signature", async () => {
    const queue = await declareQueue();
    const publisher = await open(BROKER, queue);
    const sent = sampleMessage();
    await publisher.publish(sent, 5000);
    const got = await waitFor(async () => (await channel.get(queue, { noAck: true })) || undefined);
    expect(got.content.toString()).toBe(sent.body);
    expect(got.properties).toMatchObject({
      messageId: sent.eventId,
      type: sent.eventType,
      contentType: "application/json",
      deliveryMode: 2,
      headers: { "taih-signature": sent.signature },
    });
  });

  brokerTest("concurrent publishes on one publisher are all confirmed and delivered", async () => {
    const queue = await declareQueue();
    const publisher = await open(BROKER, queue);
    const sent = Array.from({ length: 25 }, () => sampleMessage());
    await Promise.all(sent.map((m) => publisher.publish(m, 5000)));
    const ids = await waitFor(async () => {
      const { messageCount } = await channel.checkQueue(queue);
      return messageCount === sent.length ? messageCount : undefined;
    });
    expect(ids).toBe(25);
  });

  brokerTest("a missing queue fails the publish with a clear message", async () => {
    const publisher = await open(BROKER, `taih-missing-${crypto.randomUUID()}`);
    await expect(publisher.publish(sampleMessage(), 5000)).rejects.toThrow(/queue does not exist/);
  });

  brokerTest("a message the broker cannot route (queue deleted after connecting) is a failure, not a success", async () => {
    const queue = await declareQueue();
    const publisher = await open(BROKER, queue);
    await publisher.publish(sampleMessage(), 5000);
    await channel.deleteQueue(queue);
    await expect(publisher.publish(sampleMessage(), 5000)).rejects.toThrow(/could not route/);
  });

  test("a broker that never speaks fails the publish within the timeout", async () => {
    const silent = await relay();
    const publisher = await open(`amqp://guest:guest@127.0.0.1:${silent.port}`, "q");
    const started = Date.now();
    await expect(publisher.publish(sampleMessage(), 300)).rejects.toThrow(/did not confirm the message within 300 ms/);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  brokerTest("a broker that stops confirming fails the publish within the timeout, and close still returns", async () => {
    const queue = await declareQueue();
    const proxy = await relay(PORT);
    const publisher = await open(`amqp://guest:guest@127.0.0.1:${proxy.port}`, queue);
    await publisher.publish(sampleMessage(), 5000);
    proxy.frozen = true;
    const started = Date.now();
    await expect(publisher.publish(sampleMessage(), 300)).rejects.toThrow(/within 300 ms/);
    expect(Date.now() - started).toBeLessThan(1000);
    await publisher.close();
    await publisher.close();
    await expect(publisher.publish(sampleMessage(), 300)).rejects.toThrow(/closed/);
  });

  brokerTest("refused connections and logins fail clearly without leaking the password", async () => {
    const port = await freePort();
    const refused = await open(`amqp://guest:guest@127.0.0.1:${port}`, "q");
    await expect(refused.publish(sampleMessage(), 5000)).rejects.toThrow(/AMQP connection failed: .*ECONNREFUSED/);
    const badLogin = await open(`amqp://guest:wrong-s3cret@127.0.0.1:${PORT}`, "q");
    const err: Error = await badLogin.publish(sampleMessage(), 5000).then(
      () => new Error("published"),
      (e: Error) => e,
    );
    expect(err.message).toMatch(/refused/);
    expect(err.message).not.toContain("wrong-s3cret");
  });

  brokerTest("a host name resolving to a loopback address is refused when connecting", async () => {
    await expectLoopbackHostRefused(
      amqpAdapter,
      { type: "amqp", settings: { url: "amqp://guest:***@localhost:5672", queue: "q" }, secrets: { url: `amqp://guest:guest@localhost:${PORT}` } },
      publishers,
    );
  });
});
