import { connect, type ChannelModel, type ConfirmChannel } from "amqplib";
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

interface Opened {
  model: ChannelModel;
  channel: ConfirmChannel;
}

/** AMQP reply codes that deserve a partner-readable explanation. */
function describeAmqpError(err: unknown, secrets: string[]): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 404) return "The AMQP queue does not exist on the broker; declare it before registering it";
  if (code === 403) return "The AMQP broker refused access: check the credentials, the vhost and its permissions";
  if (err instanceof Error && /ACCESS.REFUSED/.test(err.message)) {
    return "The AMQP broker refused the login: check the user name, password and vhost";
  }
  if (err instanceof Error && /Expected ConnectionOpenOk/.test(err.message)) {
    return "The AMQP broker refused to open the vhost: check that it exists and that the user may access it";
  }
  return safeMessage(err, secrets, "AMQP connection failed: ");
}

/**
 * One connection and one confirm channel to the partner's broker. The connection is opened as soon
 * as the publisher exists; each publish waits for it within its own time budget, so a broker that
 * never answers costs at most `timeoutMs` per attempt.
 */
class AmqpPublisher implements QueuePublisher {
  private closed = false;
  private broken: string | undefined;
  private model: ChannelModel | undefined;
  /** basic.return arrives before the ack of the same message: count returns per message id. */
  private readonly returned = new Map<string, number>();
  private readonly secrets: string[];
  private readonly ready: Promise<Opened>;

  constructor(
    private readonly url: URL,
    private readonly queue: string,
    private readonly allowPrivate: boolean,
  ) {
    this.secrets = secretsOf(url);
    this.ready = this.open();
    this.ready.catch(() => undefined);
  }

  private async open(): Promise<Opened> {
    try {
      const [target] = await resolvePublic(this.url.hostname, this.allowPrivate);
      const host = bareHost(this.url.hostname);
      const address = new URL(this.url.href);
      address.hostname = urlHost(target.address);
      const model = await connect(address.href, {
        timeout: CONNECT_TIMEOUT_MS,
        ...(net.isIP(host) ? {} : { servername: host }),
        clientProperties: { connection_name: "thrive-event-dispatcher" },
      });
      this.model = model;
      model.on("error", () => undefined);
      model.on("close", () => (this.broken ??= "The AMQP connection was closed"));
      if (this.closed) throw new Error("The publisher is closed");
      const channel = await model.createConfirmChannel();
      channel.on("error", () => undefined);
      channel.on("close", () => (this.broken ??= "The AMQP channel was closed"));
      channel.on("return", (msg: { properties: { messageId?: string } }) => {
        const id = String(msg.properties.messageId);
        this.returned.set(id, (this.returned.get(id) ?? 0) + 1);
      });
      await channel.checkQueue(this.queue);
      return { model, channel };
    } catch (err) {
      await this.dropConnection();
      throw new Error(describeAmqpError(err, this.secrets));
    }
  }

  publish(message: OutboundMessage, timeoutMs: number): Promise<void> {
    return withTimeout(timeoutMs, `The AMQP broker did not confirm the message within ${timeoutMs} ms`, () => this.send(message));
  }

  private async send(message: OutboundMessage): Promise<void> {
    if (this.closed) throw new Error("The publisher is closed");
    const { channel } = await this.ready;
    if (this.broken) throw new Error(this.broken);
    await new Promise<void>((resolve, reject) => {
      const options = {
        persistent: true,
        mandatory: true,
        messageId: message.eventId,
        type: message.eventType,
        contentType: "application/json",
        headers: { "taih-signature": message.signature },
      };
      channel.publish("", this.queue, Buffer.from(message.body), options, (err: unknown) => {
        const returns = this.returned.get(message.eventId) ?? 0;
        if (returns > 0) {
          if (returns === 1) this.returned.delete(message.eventId);
          else this.returned.set(message.eventId, returns - 1);
          reject(new Error("The AMQP broker could not route the message to the queue (does it still exist?)"));
        } else if (err) {
          reject(new Error(this.broken ?? "The AMQP broker rejected the message"));
        } else {
          resolve();
        }
      });
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.dropConnection();
  }

  private async dropConnection(): Promise<void> {
    const model = this.model;
    this.model = undefined;
    if (!model) return;
    try {
      await withTimeout(CLOSE_TIMEOUT_MS, "close timed out", () => model.close());
    } catch {
      // Why: a broker that stopped answering never sends close-ok; drop the socket instead. Destroy it
      // *with an error*: amqplib tears the connection down (stops its heartbeat intervals, closes the
      // channels) only on the socket's 'error' or 'end'; a bare destroy() emits neither, which left
      // the heartbeat timers running (and the process alive) for up to two heartbeat periods.
      (model.connection as unknown as { stream?: { destroy?: (err?: Error) => void } }).stream?.destroy?.(new Error("AMQP close timed out"));
    }
  }
}

function parse(input: Record<string, unknown>, options: { allowPrivateTargets: boolean }): QueueDestination {
  const details: ErrorDetail[] = [];
  const url = readUrl(input, "amqp.url", ["amqp", "amqps"], options.allowPrivateTargets, details);
  const queue = readText(input, "queue", "amqp.queue", 255, details);
  if (!url || queue === undefined) throw settingsError(details);
  const settings: Record<string, string> = { url: redactUrl(url.href) ?? "", queue };
  if (options.allowPrivateTargets) settings[PRIVATE_TARGETS_SETTING] = "true";
  return { type: "amqp", settings, secrets: { url: url.href } };
}

/**
 * RabbitMQ and other AMQP 0-9-1 brokers (amqplib). Publishes to the default exchange with the
 * queue name as routing key, persistent, `mandatory` (an unroutable message fails), on a confirm
 * channel: delivered means the broker confirmed. The queue must already exist (checked on connect).
 */
export const amqpAdapter: QueueAdapter = {
  type: "amqp",
  parse,
  describe: (destination) => ({
    url: redactUrl(destination.settings.url ?? "") ?? null,
    queue: destination.settings.queue ?? null,
  }),
  async connect(destination) {
    const url = new URL(destination.secrets.url);
    return new AmqpPublisher(url, destination.settings.queue, destination.settings[PRIVATE_TARGETS_SETTING] === "true");
  },
};
