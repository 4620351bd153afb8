import type { MikroORM } from "@mikro-orm/core";
import type { PostgreSqlDriver } from "@mikro-orm/postgresql";
import type { Logger } from "pino";
import { SecretBox } from "../resolvers/_shared/crypto";
import type { AppDeps } from "../resolvers/_shared/deps";
import { createAiProvider } from "./ai";
import type { Config } from "./config";

/**
 * AppDeps for one-shot work outside a serving process (the admin CLI, benches): no job queue and
 * no live feed (events still go to the outbox and NOTIFY; running servers pick them up).
 */
export function standaloneDeps(opts: { orm: MikroORM<PostgreSqlDriver>; config: Config; logger: Logger; masterKey: Buffer; now?: () => Date }): AppDeps {
  const unavailable = (what: string) => (): never => {
    throw new Error(`${what} is not available in a standalone process`);
  };
  return Object.freeze({
    orm: opts.orm,
    config: opts.config,
    secretBox: new SecretBox(opts.masterKey),
    jobs: { enqueue: unavailable("the job queue") },
    logger: opts.logger,
    now: opts.now ?? (() => new Date()),
    live: { events: unavailable("the live feed"), jobs: unavailable("the live feed") },
    ai: createAiProvider(opts.config, opts.logger),
  });
}
