import { Redis } from "ioredis";
import crypto from "node:crypto";
import net from "node:net";
import { redisStreamAdapter } from "../../resolvers/event-stream/adapters/redis-stream.adapter";
import type { QueuePublisher } from "../../resolvers/event-stream/adapters/types";
import { detailsOf, sampleMessage, expectLoopbackHostRefused } from "../helpers/adapter-kit";
import { waitFor } from "../helpers/harness";
import { itIf, servicesUp } from "../helpers/services";

const PORT = 6379;
const SERVER = `redis://127.0.0.1:${PORT}`;
const allow = { allowPrivateTargets: true };
const deny = { allowPrivateTargets: false };

const available = servicesUp("Redis").Redis;
/** Tests that talk to the broker: reported as skipped when it is not running (see servicesUp). */
const brokerTest = itIf(available);
let admin: Redis | undefined;
const keys: string[] = [];
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

function uniqueKey(): string {
  const key = `taih:test:${crypto.randomUUID()}`;
  keys.push(key);
  return key;
}

/** A stream that exists but holds no entry yet (as a consumer group set-up leaves it). */
async function createStream(): Promise<string> {
  const key = uniqueKey();
  await admin!.xgroup("CREATE", key, "partner", "$", "MKSTREAM");
  return key;
}

async function open(url: string, stream: string): Promise<QueuePublisher> {
  const publisher = await redisStreamAdapter.connect(redisStreamAdapter.parse({ url, stream }, allow));
  publishers.push(publisher);
  return publisher;
}

beforeAll(async () => {
  if (!available) return;
  admin = new Redis({ host: "127.0.0.1", port: PORT, lazyConnect: true });
  await admin.connect();
});

afterAll(async () => {
  await Promise.all(publishers.map((p) => p.close()));
  if (keys.length > 0) await admin?.del(...keys);
  await admin?.quit();
  for (const { server, sockets } of servers) {
    sockets.forEach((s) => s.destroy());
    await new Promise((resolve) => server.close(resolve));
  }
});

describe("redis_stream adapter", () => {
  test("parse splits the URL into a redacted setting and a secret", () => {
    expect(redisStreamAdapter.parse({ url: "rediss://app:s3cret-pw@redis.example.com:6380/2", stream: "events" }, deny)).toEqual({
      type: "redis_stream",
      settings: { url: "rediss://app:***@redis.example.com:6380/2", stream: "events" },
      secrets: { url: "rediss://app:s3cret-pw@redis.example.com:6380/2" },
    });
  });

  test("parse rejects missing, malformed, too long and private settings with field details", () => {
    expect(detailsOf(() => redisStreamAdapter.parse({}, deny))).toEqual([
      { field: "redis_stream.url", code: "required" },
      { field: "redis_stream.stream", code: "required" },
    ]);
    expect(detailsOf(() => redisStreamAdapter.parse({ url: "http://redis.example.com", stream: "s".repeat(256) }, deny))).toEqual([
      { field: "redis_stream.url", code: "invalid_value" },
      { field: "redis_stream.stream", code: "too_long" },
    ]);
    for (const url of ["redis://127.0.0.1:6379", "redis://172.16.0.5", "redis://localhost", "redis://redis.example.com/db"]) {
      expect(detailsOf(() => redisStreamAdapter.parse({ url, stream: "s" }, deny))).toEqual([{ field: "redis_stream.url", code: "invalid_value" }]);
    }
  });

  test("describe never shows the password", () => {
    const shown = redisStreamAdapter.describe(redisStreamAdapter.parse({ url: "redis://:s3cret-pw@redis.example.com", stream: "s" }, deny));
    expect(shown).toEqual({ url: "redis://:***@redis.example.com", stream: "s" });
    expect(JSON.stringify(shown)).not.toContain("s3cret-pw");
  });

  brokerTest("a published message is one stream entry with the event id, type, signature and exact body", async () => {
    const stream = await createStream();
    const publisher = await open(SERVER, stream);
    const sent = sampleMessage();
    await publisher.publish(sent, 5000);
    const entries = await waitFor(async () => {
      const found = await admin!.xrange(stream, "-", "+");
      return found.length > 0 ? found : undefined;
    });
    expect(entries).toHaveLength(1);
    expect(entries[0][1]).toEqual(["event_id", sent.eventId, "event_type", sent.eventType, "signature", sent.signature, "body", sent.body]);
  });

  brokerTest("concurrent publishes on one publisher are all stored", async () => {
    const stream = await createStream();
    const publisher = await open(SERVER, stream);
    await Promise.all(Array.from({ length: 25 }, () => sampleMessage()).map((m) => publisher.publish(m, 5000)));
    expect(await admin!.xlen(stream)).toBe(25);
  });

  brokerTest("a missing stream fails clearly and is not created", async () => {
    const stream = uniqueKey();
    const publisher = await open(SERVER, stream);
    await expect(publisher.publish(sampleMessage(), 5000)).rejects.toThrow(/stream does not exist/);
    expect(await admin!.exists(stream)).toBe(0);
  });

  brokerTest("a key of another type fails clearly", async () => {
    const key = uniqueKey();
    await admin!.set(key, "not a stream");
    const publisher = await open(SERVER, key);
    await expect(publisher.publish(sampleMessage(), 5000)).rejects.toThrow(/exists but is not a stream/);
  });

  test("a server that never speaks fails the publish within the timeout", async () => {
    const port = await silentServer();
    const publisher = await open(`redis://127.0.0.1:${port}`, "s");
    const started = Date.now();
    await expect(publisher.publish(sampleMessage(), 300)).rejects.toThrow(/did not answer within 300 ms/);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  brokerTest("a refused login fails without leaking the password, and close is idempotent", async () => {
    const publisher = await open(`redis://taih-nobody:wrong-s3cret@127.0.0.1:${PORT}`, "s");
    const err: Error = await publisher.publish(sampleMessage(), 5000).then(
      () => new Error("published"),
      (e: Error) => e,
    );
    expect(err.message).toMatch(/refused the credentials/);
    expect(err.message).not.toContain("wrong-s3cret");
    await publisher.close();
    await publisher.close();
    await expect(publisher.publish(sampleMessage(), 300)).rejects.toThrow(/closed/);
  });

  brokerTest("a host name resolving to a loopback address is refused when connecting", async () => {
    await expectLoopbackHostRefused(
      redisStreamAdapter,
      { type: "redis_stream", settings: { url: "redis://localhost:6379", stream: "s" }, secrets: { url: `redis://localhost:${PORT}` } },
      publishers,
    );
  });
});
