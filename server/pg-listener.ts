import pg from "pg";
import type { Logger } from "pino";

type Handler = (payload: string) => void;

/**
 * One dedicated LISTEN connection per process, shared by the dispatcher wake-up and the
 * subscription pubsub. Reconnects with backoff; handlers are kept across reconnects.
 */
export class PgListener {
  private client: pg.Client | null = null;
  private readonly handlers = new Map<string, Set<Handler>>();
  private stopped = false;
  private retry: NodeJS.Timeout | null = null;

  constructor(
    private readonly url: string,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    await this.connect();
  }

  on(channel: string, handler: Handler): () => void {
    const set = this.handlers.get(channel) ?? new Set();
    const isNew = set.size === 0;
    set.add(handler);
    this.handlers.set(channel, set);
    if (isNew && this.client) void this.client.query(`listen ${pg.escapeIdentifier(channel)}`).catch(() => undefined);
    return () => set.delete(handler);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on("notification", (n) => {
      for (const h of this.handlers.get(n.channel) ?? []) {
        try {
          h(n.payload ?? "");
        } catch (err) {
          this.logger.error({ err }, "notification handler failed");
        }
      }
    });
    client.on("error", (err) => {
      this.logger.warn({ err: err.message }, "listener connection lost; reconnecting");
      this.scheduleReconnect();
    });
    await client.connect();
    for (const channel of this.handlers.keys()) await client.query(`listen ${pg.escapeIdentifier(channel)}`);
    this.client = client;
  }

  private scheduleReconnect(delayMs = 500): void {
    const old = this.client;
    this.client = null;
    void old?.end().catch(() => undefined);
    if (this.stopped || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      this.connect().catch(() => this.scheduleReconnect(Math.min(delayMs * 2, 10_000)));
    }, delayMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => undefined);
  }
}
