import type { MikroORM } from "@mikro-orm/core";
import type { EntityManager, PostgreSqlDriver } from "@mikro-orm/postgresql";
import type { Logger } from "pino";
import type { Config } from "../../server/config";
import type { LiveFeed } from "../event-stream/live";
import type { AiProvider } from "./ai/provider";
import type { SecretBox } from "./crypto";

/** Enqueues work on the job engine, optionally inside the caller's open transaction. */
export interface JobQueue {
  enqueue(jobId: string, em?: EntityManager): Promise<void>;
}

/** Process-wide singletons, created only by the composition root (`server/`). */
export interface AppDeps {
  readonly orm: MikroORM<PostgreSqlDriver>;
  readonly config: Config;
  readonly secretBox: SecretBox;
  readonly jobs: JobQueue;
  readonly logger: Logger;
  readonly now: () => Date;
  /** Committed events and job updates from every process (for subscriptions). */
  readonly live: LiveFeed;
  /** Every AI feature's text goes through this (built-in deterministic engine by default). */
  readonly ai: AiProvider;
}
