import type { GraphQLSchema } from "graphql";
import type http from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import type { JobRegistry } from "../resolvers/async-jobs";
import { ADAPTERS } from "../resolvers/event-stream";
import { SecretBox } from "../resolvers/_shared/crypto";
import type { AppDeps } from "../resolvers/_shared/deps";
import { compileRoutes, type CompiledRoute } from "../rest-facade/compile";
import { ROUTES } from "../rest-facade/routes";
import { createAiProvider } from "./ai";
import type { Config } from "./config";
import { DispatcherHost } from "./event-dispatch";
import { createGraphQLGuard } from "./graphql-guard";
import { createHttpApp } from "./http/app";
import { IdempotencyStore } from "./http/idempotency";
import { RateLimits } from "./http/rate-limit";
import { createJobRegistry } from "./job-handlers";
import { JobEngine } from "./jobs";
import { createLiveFeed } from "./live-feed";
import { maintenanceTasks } from "./maintenance";
import { initOrm, migrate } from "./orm";
import { PgListener } from "./pg-listener";
import { createSchema } from "./schema";
import { createWsServer } from "./ws-server";

export { maintenanceTasks } from "./maintenance";

export interface AppOptions {
  config: Config;
  databaseUrl: string;
  logger: Logger;
  masterKey: Buffer;
  /** Run job workers in this process (default: config.runWorkers). */
  runWorkers?: boolean;
  now?: () => Date;
  /** Observe every SQL statement (tests assert that lists do not issue per-row queries). */
  onQuery?: (message: string) => void;
}

export interface App {
  readonly deps: AppDeps;
  readonly schema: GraphQLSchema;
  readonly routes: CompiledRoute[];
  readonly jobRegistry: JobRegistry;
  readonly httpServer: http.Server;
  listen(port: number, host: string): Promise<AddressInfo>;
  /** Graceful: stop accepting, drain HTTP and WebSocket, stop job workers, close the pool. */
  stop(): Promise<void>;
}

/**
 * The composition root: ORM, job engine, listener and dependencies, then the HTTP app
 * (server/http/app.ts), the graphql-ws server (server/ws-server.ts) on the same port, both on one
 * GraphQL guard (server/graphql-guard.ts), and the maintenance jobs (server/maintenance.ts).
 */
export async function createApp(opts: AppOptions): Promise<App> {
  const { config, logger } = opts;
  const orm = await initOrm({ clientUrl: opts.databaseUrl, poolMax: config.dbPoolMax, log: (m) => logger.debug({ orm: m }, "orm"), onQuery: opts.onQuery });
  await migrate(orm, opts.databaseUrl);
  const jobs = new JobEngine(opts.databaseUrl, logger, config.jobPollingSeconds, config.jobQueue);
  await jobs.start();
  const listener = new PgListener(opts.databaseUrl, logger);
  await listener.start();
  const deps: AppDeps = Object.freeze({
    orm,
    config,
    secretBox: new SecretBox(opts.masterKey),
    jobs,
    logger,
    now: opts.now ?? (() => new Date()),
    live: createLiveFeed(listener),
    ai: createAiProvider(config, logger),
  });
  const jobRegistry = createJobRegistry();
  const idempotency = new IdempotencyStore(orm, deps.secretBox, config.idempotencyTtlSeconds);
  let dispatcherHost: DispatcherHost | null = null;
  if (opts.runWorkers ?? config.runWorkers) {
    await jobs.work(deps, jobRegistry);
    await jobs.maintain(maintenanceTasks(idempotency, logger, deps));
    if (config.events.dispatch) {
      dispatcherHost = new DispatcherHost(deps, ADAPTERS, listener, logger);
      dispatcherHost.start();
    }
  }

  const schema = await createSchema();
  const routes = compileRoutes(schema, ROUTES);
  const guard = createGraphQLGuard(schema, config, logger);
  const rateLimits = new RateLimits(config.rateLimit);
  let draining = false;
  const httpApp = createHttpApp({
    deps,
    schema,
    routes,
    guard,
    rateLimits,
    idempotency,
    logger,
    drainWebSockets: () => ws.dispose(),
    isDraining: () => draining,
  });
  const ws = createWsServer({ httpServer: httpApp.httpServer, deps, schema, guard, rateLimits, logger });
  await httpApp.start();
  const { httpServer } = httpApp;

  let stopped: Promise<void> | undefined;
  return {
    deps,
    schema,
    routes,
    jobRegistry,
    httpServer,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        httpServer.once("error", reject);
        httpServer.listen(port, host, () => resolve(httpServer.address() as AddressInfo));
      }),
    stop: () =>
      (stopped ??= (async () => {
        draining = true;
        await httpApp.stop();
        await dispatcherHost?.stop();
        await jobs.stop(config.shutdownTimeoutMs);
        await listener.stop();
        await orm.close();
      })()),
  };
}
