import { connect, type JetStreamManager, type NatsConnection } from "nats";
import crypto from "node:crypto";
import net from "node:net";
import { natsAdapter } from "../../resolvers/event-stream/adapters/nats.adapter";
import type { QueuePublisher } from "../../resolvers/event-stream/adapters/types";
import { detailsOf, sampleMessage, expectLoopbackHostRefused } from "../helpers/adapter-kit";
import { waitFor } from "../helpers/harness";
import { itIf, servicesUp } from "../helpers/services";

const PORT = 4222;
const SERVER = `nats://127.0.0.1:${PORT}`;
const allow = { allowPrivateTargets: true };
const deny = { allowPrivateTargets: false };

const available = servicesUp("NATS").NATS;
/** Tests that talk to the broker: reported as skipped when it is not running (see servicesUp). */
const brokerTest = itIf(available);
let admin: NatsConnection | undefined;
let jsm: JetStreamManager;
const streams: string[] = [];
const publishers: QueuePublisher[] = [];
const servers: { server: net.Server; sockets: Set<net.Socket> }[] = [];

/** A TCP server that accepts connections and never speaks. */
async function silentServer(): Promise<number> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push({ server, sockets });
  return (server.address() as net.AddressInfo).port;
}

/** A JetStream stream with a unique name capturing one unique subject. */
async function createStream(): Promise<{ name: string; subject: string }> {
  const id = crypto.randomUUID().replace(/-/g, "");
  const name = `TAIH_TEST_${id}`;
  const subject = `taih.test.${id}`;
  await jsm.streams.add({ name, subjects: [subject] });
  streams.push(name);
  return { name, subject };
}

async function open(url: string, subject: string): Promise<QueuePublisher> {
  const publisher = await natsAdapter.connect(natsAdapter.parse({ url, subject }, allow));
  publishers.push(publisher);
  return publisher;
}

beforeAll(async () => {
  if (!available) return;
  admin = await connect({ servers: SERVER });
  jsm = await admin.jetstreamManager();
});

afterAll(async () => {
  await Promise.all(publishers.map((p) => p.close()));
  for (const name of streams) await jsm.streams.delete(name).catch(() => undefined);
  await admin?.close();
  for (const { server, sockets } of servers) {
    sockets.forEach((s) => s.destroy());
    await new Promise((resolve) => server.close(resolve));
  }
});

describe("nats adapter", () => {
  test("parse keeps credentials and tokens out of the settings", () => {
    expect(natsAdapter.parse({ url: "tls://app:s3cret-pw@nats.example.com:4222", subject: "partner.events" }, deny)).toEqual({
      type: "nats",
      settings: { url: "tls://app:***@nats.example.com:4222", subject: "partner.events" },
      secrets: { url: "tls://app:s3cret-pw@nats.example.com:4222" },
    });
    expect(natsAdapter.parse({ url: "nats://t0ken-value@nats.example.com", subject: "a" }, deny).settings.url).toBe("nats://***@nats.example.com");
  });

  test("parse rejects missing, malformed, wildcard and private settings with field details", () => {
    expect(detailsOf(() => natsAdapter.parse({}, deny))).toEqual([
      { field: "nats.url", code: "required" },
      { field: "nats.subject", code: "required" },
    ]);
    expect(detailsOf(() => natsAdapter.parse({ url: "https://nats.example.com", subject: "a.*" }, deny))).toEqual([
      { field: "nats.url", code: "invalid_value" },
      { field: "nats.subject", code: "invalid_value" },
    ]);
    expect(detailsOf(() => natsAdapter.parse({ url: "nats://nats.example.com", subject: "s".repeat(256) }, deny))).toEqual([{ field: "nats.subject", code: "too_long" }]);
    for (const url of ["nats://127.0.0.1:4222", "nats://192.168.1.10", "nats://localhost", "nats://nats.example.com/path"]) {
      expect(detailsOf(() => natsAdapter.parse({ url, subject: "a" }, deny))).toEqual([{ field: "nats.url", code: "invalid_value" }]);
    }
  });

  test("describe never shows the password or token", () => {
    const shown = natsAdapter.describe(natsAdapter.parse({ url: "nats://app:s3cret-pw@nats.example.com", subject: "a.b" }, deny));
    expect(shown).toEqual({ url: "nats://app:***@nats.example.com", subject: "a.b" });
    const token = natsAdapter.describe(natsAdapter.parse({ url: "nats://t0ken-value@nats.example.com", subject: "a" }, deny));
    expect(JSON.stringify([shown, token])).not.toMatch(/s3cret-pw|t0ken-value/);
  });

  brokerTest("a published message is stored exactly as sent, with the message id and signature headers", async () => {
    const { name, subject } = await createStream();
    const publisher = await open(SERVER, subject);
    const sent = sampleMessage();
    await publisher.publish(sent, 5000);
    const stored = await waitFor(() => jsm.streams.getMessage(name, { last_by_subj: subject }).catch(() => undefined));
    expect(Buffer.from(stored.data).toString()).toBe(sent.body);
    expect(stored.subject).toBe(subject);
    expect(stored.header.get("Nats-Msg-Id")).toBe(sent.eventId);
    expect(stored.header.get("taih-signature")).toBe(sent.signature);
    expect(stored.header.get("taih-event-type")).toBe(sent.eventType);
  });

  brokerTest("concurrent publishes are all acknowledged, and a redelivered event id is stored once", async () => {
    const { name, subject } = await createStream();
    const publisher = await open(SERVER, subject);
    const sent = Array.from({ length: 25 }, () => sampleMessage());
    await Promise.all(sent.map((m) => publisher.publish(m, 5000)));
    await publisher.publish(sent[0], 5000);
    const info = await jsm.streams.info(name);
    expect(info.state.messages).toBe(25);
  });

  brokerTest("a subject no stream captures fails with a clear message", async () => {
    const publisher = await open(SERVER, `taih.unbound.${crypto.randomUUID()}`);
    await expect(publisher.publish(sampleMessage(), 5000)).rejects.toThrow(/No JetStream stream captures this subject/);
  });

  test("a server that never speaks fails the publish within the timeout", async () => {
    const port = await silentServer();
    const publisher = await open(`nats://127.0.0.1:${port}`, "a");
    const started = Date.now();
    await expect(publisher.publish(sampleMessage(), 300)).rejects.toThrow(/did not acknowledge the message within 300 ms/);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  brokerTest("close is idempotent and a closed publisher refuses to publish", async () => {
    const { subject } = await createStream();
    const publisher = await open(SERVER, subject);
    await publisher.publish(sampleMessage(), 5000);
    await publisher.close();
    await publisher.close();
    await expect(publisher.publish(sampleMessage(), 300)).rejects.toThrow(/closed/);
  });

  brokerTest("a host name resolving to a loopback address is refused when connecting", async () => {
    await expectLoopbackHostRefused(
      natsAdapter,
      { type: "nats", settings: { url: "nats://localhost:4222", subject: "a" }, secrets: { url: `nats://localhost:${PORT}` } },
      publishers,
    );
  });
});
