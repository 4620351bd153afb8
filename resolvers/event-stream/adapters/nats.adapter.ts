import { connect, headers, type ConnectionOptions, type JetStreamClient, type NatsConnection, type TlsOptions } from "nats";
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
  urlHost,
  withTimeout,
} from "./url-guard";

/** A publishable subject: dot-separated non-empty tokens, no wildcards, no whitespace. */
const SUBJECT_PATTERN = /^[^\s.*>]+(?:\.[^\s.*>]+)*$/;

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

function describeNatsError(err: unknown, secrets: string[], prefix: string): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === "503") return "No JetStream stream captures this subject: create a stream bound to it";
  if (code === "AUTHORIZATION_VIOLATION" || code === "BAD_AUTHENTICATION") {
    return "The NATS server refused the credentials";
  }
  if (code === "PERMISSIONS_VIOLATION") return "The NATS user may not publish to this subject";
  if (code === "TIMEOUT") return "The NATS server did not acknowledge the message in time";
  if (code === "SERVER_OPT_NA") return "The NATS server's TLS setting does not match the URL: use tls:// exactly when it requires TLS";
  if (code === "CONNECTION_REFUSED") return "The NATS server refused the connection: check the host and port";
  return safeMessage(err, secrets, prefix);
}

/**
 * One NATS connection (no automatic reconnect: the dispatcher reconnects) publishing through
 * JetStream, so delivered means a stream stored the message and answered with a PubAck.
 */
class NatsPublisher implements QueuePublisher {
  private closed = false;
  private connection: NatsConnection | undefined;
  private readonly secrets: string[];
  private readonly ready: Promise<JetStreamClient>;

  constructor(
    private readonly url: URL,
    private readonly subject: string,
    private readonly allowPrivate: boolean,
  ) {
    this.secrets = secretsOf(url);
    this.ready = this.open();
    this.ready.catch(() => undefined);
  }

  private async open(): Promise<JetStreamClient> {
    try {
      const [target] = await resolvePublic(this.url.hostname, this.allowPrivate);
      const host = bareHost(this.url.hostname);
      const user = decode(this.url.username);
      const pass = decode(this.url.password);
      // Why: we connect to the checked address, so TLS must still verify the certificate against the name.
      const tls: (TlsOptions & { servername?: string }) | null = this.url.protocol === "tls:" ? (net.isIP(host) ? {} : { servername: host }) : null;
      const options: ConnectionOptions = {
        servers: `${urlHost(target.address)}:${this.url.port || "4222"}`,
        name: "thrive-event-dispatcher",
        timeout: CONNECT_TIMEOUT_MS,
        reconnect: false,
        maxReconnectAttempts: 0,
        ignoreClusterUpdates: true,
        noRandomize: true,
        tls,
        ...(pass ? { user, pass } : user ? { token: user } : {}),
      };
      const connection = await connect(options);
      this.connection = connection;
      if (this.closed) throw new Error("The publisher is closed");
      return connection.jetstream();
    } catch (err) {
      await this.dropConnection();
      throw new Error(describeNatsError(err, this.secrets, "NATS connection failed: "));
    }
  }

  publish(message: OutboundMessage, timeoutMs: number): Promise<void> {
    return withTimeout(timeoutMs, `The NATS server did not acknowledge the message within ${timeoutMs} ms`, () => this.send(message, timeoutMs));
  }

  private async send(message: OutboundMessage, timeoutMs: number): Promise<void> {
    if (this.closed) throw new Error("The publisher is closed");
    const js = await this.ready;
    if (this.connection?.isClosed()) throw new Error("The NATS connection was closed");
    const h = headers();
    h.set("taih-signature", message.signature);
    h.set("taih-event-id", message.eventId);
    h.set("taih-event-type", message.eventType);
    try {
      await js.publish(this.subject, Buffer.from(message.body), { msgID: message.eventId, headers: h, timeout: timeoutMs });
    } catch (err) {
      throw new Error(describeNatsError(err, this.secrets, "NATS publish failed: "));
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.dropConnection();
  }

  private async dropConnection(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    if (!connection || connection.isClosed()) return;
    await withTimeout(CLOSE_TIMEOUT_MS, "close timed out", () => connection.close()).catch(() => undefined);
  }
}

function parse(input: Record<string, unknown>, options: { allowPrivateTargets: boolean }): QueueDestination {
  const details: ErrorDetail[] = [];
  const url = readUrl(input, "nats.url", ["nats", "tls"], options.allowPrivateTargets, details);
  if (url && ((url.pathname !== "" && url.pathname !== "/") || url.search)) {
    details.push({ field: "nats.url", code: "invalid_value", message: "Must be nats://[credentials@]host[:port] with no path" });
  }
  const subject = readText(input, "subject", "nats.subject", 255, details);
  if (subject !== undefined && !SUBJECT_PATTERN.test(subject)) {
    details.push({ field: "nats.subject", code: "invalid_value", message: "Must be a subject without wildcards or spaces" });
  }
  if (details.length > 0 || !url || subject === undefined) throw settingsError(details);
  const settings: Record<string, string> = { url: redactUrl(url.href, { tokenInUser: true }) ?? "", subject };
  if (options.allowPrivateTargets) settings[PRIVATE_TARGETS_SETTING] = "true";
  return { type: "nats", settings, secrets: { url: url.href } };
}

/**
 * NATS JetStream (nats.js). `nats://` is plain TCP, `tls://` requires TLS. A user part alone is a
 * token, `user:pass` is a user and password. Each event is published with `Nats-Msg-Id` = event id
 * (JetStream de-duplicates redeliveries) and the `taih-*` headers; a subject no stream captures fails.
 */
export const natsAdapter: QueueAdapter = {
  type: "nats",
  parse,
  describe: (destination) => ({
    url: redactUrl(destination.settings.url ?? "", { tokenInUser: true }) ?? null,
    subject: destination.settings.subject ?? null,
  }),
  async connect(destination) {
    const url = new URL(destination.secrets.url);
    return new NatsPublisher(url, destination.settings.subject, destination.settings[PRIVATE_TARGETS_SETTING] === "true");
  },
};
