import { Redis } from "ioredis";
import net from "node:net";
import type { ErrorDetail } from "../../_shared/errors";
import type { OutboundMessage, QueueAdapter, QueueDestination, QueuePublisher } from "./types";
import {
  CLOSE_TIMEOUT_MS,
  CONNECT_TIMEOUT_MS,
  PRIVATE_TARGETS_SETTING,
  bareHost,
  readText,
  readUrl,
  redactUrl,
  resolvePublic,
  safeMessage,
  secretsOf,
  settingsError,
  withTimeout,
} from "./url-guard";

const DB_PATH = /^\/(\d{1,4})?$/;

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

function describeRedisError(err: unknown, secrets: string[], prefix: string): string {
  const text = err instanceof Error ? err.message : "";
  if (/^(NOAUTH|WRONGPASS)/.test(text)) return "The Redis server refused the credentials";
  if (text.startsWith("NOPERM")) return "The Redis user may not write to this stream";
  if (text.startsWith("WRONGTYPE")) return "The Redis key exists but is not a stream";
  return safeMessage(err, secrets, prefix);
}

/**
 * One Redis connection (ioredis, no automatic reconnect or retries: the dispatcher reconnects).
 * Delivered means XADD returned the entry id. The stream must exist (`NOMKSTREAM`), so a typo in
 * the key fails loudly instead of filling a stream nobody reads.
 */
class RedisStreamPublisher implements QueuePublisher {
  private closed = false;
  private client: Redis | undefined;
  private readonly secrets: string[];
  private readonly ready: Promise<Redis>;

  constructor(
    private readonly url: URL,
    private readonly stream: string,
    private readonly allowPrivate: boolean,
  ) {
    this.secrets = secretsOf(url);
    this.ready = this.open();
    this.ready.catch(() => undefined);
  }

  private async open(): Promise<Redis> {
    // Why: ioredis reports the cause (e.g. WRONGPASS) as an event and rejects connect() generically.
    let cause: unknown;
    try {
      const [target] = await resolvePublic(this.url.hostname, this.allowPrivate);
      const host = bareHost(this.url.hostname);
      const username = decode(this.url.username);
      const password = decode(this.url.password);
      const client = new Redis({
        host: target.address,
        port: Number(this.url.port || 6379),
        db: Number(DB_PATH.exec(this.url.pathname)?.[1] ?? 0),
        ...(password ? { password, ...(username ? { username } : {}) } : {}),
        // Why: we connect to the checked address, so TLS must still verify the certificate against the name.
        ...(this.url.protocol === "rediss:" ? { tls: net.isIP(host) ? {} : { servername: host } } : {}),
        connectionName: "thrive-event-dispatcher",
        lazyConnect: true,
        connectTimeout: CONNECT_TIMEOUT_MS,
        retryStrategy: () => null,
        maxRetriesPerRequest: 0,
        autoResubscribe: false,
      });
      client.on("error", (err: unknown) => (cause ??= err));
      this.client = client;
      if (this.closed) throw new Error("The publisher is closed");
      await client.connect();
      return client;
    } catch (err) {
      this.dropConnection();
      throw new Error(describeRedisError(cause ?? err, this.secrets, "Redis connection failed: "));
    }
  }

  publish(message: OutboundMessage, timeoutMs: number): Promise<void> {
    return withTimeout(timeoutMs, `The Redis server did not answer within ${timeoutMs} ms`, () => this.send(message));
  }

  private async send(message: OutboundMessage): Promise<void> {
    if (this.closed) throw new Error("The publisher is closed");
    const client = await this.ready;
    if (client.status !== "ready") throw new Error("The Redis connection was closed");
    let id: string | null;
    try {
      id = await client.xadd(
        this.stream,
        "NOMKSTREAM",
        "*",
        "event_id",
        message.eventId,
        "event_type",
        message.eventType,
        "signature",
        message.signature,
        "body",
        message.body,
      );
    } catch (err) {
      throw new Error(describeRedisError(err, this.secrets, "Redis publish failed: "));
    }
    if (typeof id !== "string") throw new Error("The Redis stream does not exist: create it before registering it");
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const client = this.client;
    if (client?.status === "ready") {
      await withTimeout(CLOSE_TIMEOUT_MS, "close timed out", () => client.quit()).catch(() => undefined);
    }
    this.dropConnection();
  }

  private dropConnection(): void {
    const client = this.client;
    this.client = undefined;
    // Why: on a client that already ended (failed connect, refused login) ioredis' disconnect() ends
    // the closed socket again and arms a 2 s destroy timer that only the socket's (long past) 'close'
    // event would clear, keeping the process alive for 2 s.
    if (client && client.status !== "end") client.disconnect();
  }
}

function parse(input: Record<string, unknown>, options: { allowPrivateTargets: boolean }): QueueDestination {
  const details: ErrorDetail[] = [];
  const url = readUrl(input, "redis_stream.url", ["redis", "rediss"], options.allowPrivateTargets, details);
  if (url && (!DB_PATH.test(url.pathname || "/") || url.search)) {
    details.push({ field: "redis_stream.url", code: "invalid_value", message: "Must be redis://[credentials@]host[:port][/db]" });
  }
  const stream = readText(input, "stream", "redis_stream.stream", 255, details);
  if (details.length > 0 || !url || stream === undefined) throw settingsError(details);
  const settings: Record<string, string> = { url: redactUrl(url.href) ?? "", stream };
  if (options.allowPrivateTargets) settings[PRIVATE_TARGETS_SETTING] = "true";
  return { type: "redis_stream", settings, secrets: { url: url.href } };
}

/**
 * Redis Streams (ioredis). Each event is one XADD entry with the fields `event_id`, `event_type`,
 * `signature` and `body` (the envelope JSON). `rediss://` uses TLS; `/n` selects database n.
 */
export const redisStreamAdapter: QueueAdapter = {
  type: "redis_stream",
  parse,
  describe: (destination) => ({
    url: redactUrl(destination.settings.url ?? "") ?? null,
    stream: destination.settings.stream ?? null,
  }),
  async connect(destination) {
    const url = new URL(destination.secrets.url);
    return new RedisStreamPublisher(url, destination.settings.stream, destination.settings[PRIVATE_TARGETS_SETTING] === "true");
  },
};
