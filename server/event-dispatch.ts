import type { Logger } from "pino";
import { Dispatcher } from "../resolvers/event-stream/dispatcher";
import { EVENTS_CHANNEL } from "../resolvers/event-stream/emit";
import type { QueueAdapter, QueueType } from "../resolvers/event-stream/adapters/types";
import type { AppDeps } from "../resolvers/_shared/deps";
import type { PgListener } from "./pg-listener";

/**
 * Runs a Dispatcher in this process: woken at once by each committed event (LISTEN/NOTIFY) and
 * every `pollMs` for due retries. Up to `events.concurrency` passes run at once, so one batch's
 * publishing overlaps the next batch's claim and bookkeeping; claims never overlap (SKIP LOCKED).
 */
export class DispatcherHost {
  readonly dispatcher: Dispatcher;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private unlisten: (() => void) | null = null;

  constructor(
    private readonly deps: AppDeps,
    adapters: ReadonlyMap<QueueType, QueueAdapter>,
    private readonly listener: PgListener,
    private readonly logger: Logger,
  ) {
    this.dispatcher = new Dispatcher(deps, adapters);
  }

  start(): void {
    this.unlisten = this.listener.on(EVENTS_CHANNEL, () => this.kick());
    this.timer = setInterval(() => this.kick(), this.deps.config.events.pollMs);
    this.kick();
  }

  kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await Promise.all(Array.from({ length: this.deps.config.events.concurrency }, () => this.dispatcher.drain(50)));
        } catch (err) {
          this.logger.error({ err }, "dispatcher pass failed");
        }
      } while (this.again);
    })().finally(() => (this.running = null));
  }

  async stop(): Promise<void> {
    this.unlisten?.();
    if (this.timer) clearInterval(this.timer);
    await this.running;
    await this.dispatcher.close();
  }
}
