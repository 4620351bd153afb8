import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { expressMiddleware } from "@as-integrations/express5";
import express, { type NextFunction, type Request, type Response } from "express";
import type { GraphQLFormattedError, GraphQLSchema } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import http from "node:http";
import type { AddressInfo } from "node:net";
import crypto from "node:crypto";
import type { Logger } from "pino";
import { WebSocketServer } from "ws";
import type { JobRegistry } from "../resolvers/async-jobs";
import { ADAPTERS } from "../resolvers/event-stream";
import { createContext, refreshContext, type Context } from "../resolvers/_shared/context";
import { SecretBox } from "../resolvers/_shared/crypto";
import type { AppDeps } from "../resolvers/_shared/deps";
import { normalizeError } from "../resolvers/_shared/error-mapping";
import { DomainError, toPublicError, type PublicError } from "../resolvers/_shared/errors";
import type { Credentials } from "../resolvers/_shared/viewer";
import { bodyParserError } from "../rest-facade/body-errors";
import { compileRoutes, type CompiledRoute } from "../rest-facade/compile";
import { createDocsRouter } from "../rest-facade/docs";
import { buildOpenApi } from "../rest-facade/openapi";
import { createRestRouter } from "../rest-facade/router";
import { ROUTES } from "../rest-facade/routes";
import type { Config } from "./config";
import { IdempotencyStore } from "./http/idempotency";
import { RateLimits } from "./http/rate-limit";
import { requestIdMiddleware } from "./http/request-id";
import { sendError } from "./http/send-error";
import { DispatcherHost } from "./event-dispatch";
import { graphqlLimitRules } from "./graphql-limits";
import { createJobRegistry } from "./job-handlers";
import { JobEngine, type MaintenanceTask } from "./jobs";
import { runNudgeSweep, SWEEP_CRON } from "../resolvers/nudges";
import { assertNoNulCharacters, assertNoNulInDocument } from "../resolvers/_shared/nul-guard";
import { purgeExpiredDeviceLinks } from "../resolvers/devices";
import { createAiProvider } from "./ai";
import { createLiveFeed } from "./live-feed";
import { initOrm, migrate } from "./orm";
import { PgListener } from "./pg-listener";
import { createSchema } from "./schema";
import { createDashboardRouter } from "./dashboard";

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

const credentialsFromHeaders = (req: Request): Credentials => ({
  tenantKey: req.get("taih-tenant-key") || undefined,
  authorization: req.get("authorization") || undefined,
});

export async function createApp(opts: AppOptions): Promise<App> {
  const { config, logger } = opts;
  const orm = await initOrm({ clientUrl: opts.databaseUrl, poolMax: config.dbPoolMax, log: (m) => logger.debug({ orm: m }, "orm"), onQuery: opts.onQuery });
  await migrate(orm, opts.databaseUrl);
  const jobs = new JobEngine(opts.databaseUrl, logger, config.jobPollingSeconds, config.jobQueue);
  await jobs.start();
  const listener = new PgListener(opts.databaseUrl, logger);
  await listener.start();
  const deps: AppDeps = Object.freeze({
    orm, config, secretBox: new SecretBox(opts.masterKey), jobs, logger, now: opts.now ?? (() => new Date()), live: createLiveFeed(listener), ai: createAiProvider(config, logger),
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
  const openApi = JSON.stringify(buildOpenApi(schema, routes));
  const rateLimits = new RateLimits(config.rateLimit);
  let draining = false;

  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.set("query parser", "simple");
  const httpServer = http.createServer(app);

  /** One error format for Apollo and graphql-ws: the public code in extensions.code. */
  const formatError = (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const n = normalizeError(error);
    if (!n.expected) logger.error({ err: n.original }, "unhandled GraphQL error");
    return {
      message: n.code === "internal_error" ? n.message : formatted.message,
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: n.code, ...(n.details.length ? { details: n.details } : {}) },
    };
  };

  // graphql-ws on the same path; a connection authenticates once, in connectionParams.
  const wss = new WebSocketServer({ server: httpServer, path: "/graphql" });
  const wsCleanup = useServer<Record<string, unknown>, { context?: Context }>(
    {
      schema,
      onConnect: async (c) => {
        try {
          const p = c.connectionParams ?? {};
          c.extra.context = await createContext(deps, {
            requestId: crypto.randomUUID(),
            credentials: { tenantKey: str(p["taih-tenant-key"] ?? p.tenantKey), authorization: str(p.authorization ?? p.Authorization) },
          });
          return true;
        } catch {
          return false;
        }
      },
      // The connection authenticates once; each operation gets its own identity map and loaders.
      context: (c) => refreshContext({ ...c.extra.context! }),
      onNext: (_c, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: result.errors.map((e) => formatError(e.toJSON(), e)) } : result,
    },
    wss,
  );

  const apollo = new ApolloServer<Context>({
    schema,
    introspection: !config.isProduction,
    hideSchemaDetailsFromClientErrors: config.isProduction,
    includeStacktraceInErrorResponses: false,
    // The entry points own SIGTERM/SIGINT (drain, stop workers, close the pool, stop the database).
    stopOnTerminationSignals: false,
    validationRules: graphqlLimitRules(config),
    formatError,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: config.shutdownTimeoutMs }),
      { serverWillStart: async () => ({ drainServer: async () => void (await wsCleanup.dispose()) }) },
      ApolloServerPluginLandingPageDisabled(),
      {
        requestDidStart: async () => ({
          didResolveOperation: async (rc) => {
            assertNoNulCharacters(rc.request.variables);
            assertNoNulInDocument(rc.document);
          },
        }),
      },
    ],
  });
  await apollo.start();

  app.use(requestIdMiddleware);
  app.use(accessLog(logger));
  app.get("/healthz", (_req, res) => void res.status(draining ? 503 : 200).json({ status: draining ? "draining" : "ok" }));
  app.get("/readyz", async (_req, res) => {
    if (draining) return void res.status(503).json({ status: "draining" });
    try {
      await orm.em.getConnection().execute("select 1");
      res.json({ status: "ready" });
    } catch {
      res.status(503).json({ status: "database_unavailable" });
    }
  });
  app.get("/v1/openapi.json", (_req, res) => void res.type("application/json").send(openApi));
  app.use("/docs/api-reference", createDocsRouter());
  app.use("/dashboard", createDashboardRouter());

  const makeContext = (req: Request, requestId: string) => createContext(deps, { requestId, credentials: credentialsFromHeaders(req) });

  app.use(
    "/graphql",
    express.json({ limit: config.bodyLimitBytes }),
    async (req: Request, res: Response, next: NextFunction) => {
      try {
        const ctx = await makeContext(req, String(res.locals.requestId));
        res.locals.orgId = ctx.viewer.kind === "anonymous" ? undefined : ctx.viewer.orgId;
        for (const [k, v] of Object.entries(await rateLimits.consume(ctx.viewer))) res.setHeader(k, v);
        res.locals.ctx = ctx;
        next();
      } catch (err) {
        sendGraphQLError(res, toPublicError(normalizeError(err).original));
      }
    },
    expressMiddleware(apollo, { context: async ({ res }) => res.locals.ctx as Context }),
  );

  app.use(
    "/v1",
    createRestRouter({
      schema,
      routes,
      bodyLimitBytes: config.bodyLimitBytes,
      logger,
      createContext: makeContext,
      rateLimit: (viewer) => rateLimits.consume(viewer),
      idempotency,
      sendError,
    }),
  );
  app.use((_req: Request, res: Response) => sendError(res, toPublicError(new DomainError("not_found", "No such route"))));
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const bodyErr = bodyParserError(err);
    const pe = toPublicError(bodyErr ?? err);
    if (pe.status >= 500) logger.error({ err, request_id: res.locals.requestId }, "unhandled error");
    if (req.path.startsWith("/graphql")) sendGraphQLError(res, pe);
    else sendError(res, pe);
  });

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
        await apollo.stop();
        await dispatcherHost?.stop();
        await jobs.stop(config.shutdownTimeoutMs);
        await listener.stop();
        await orm.close();
      })()),
  };
}

/** Periodic housekeeping, run by whichever worker process picks it up. */
export function maintenanceTasks(idempotency: IdempotencyStore, logger: Logger, deps: AppDeps): MaintenanceTask[] {
  const nudgeSweep: MaintenanceTask[] = deps.config.nudgeSweep
    ? [
        {
          name: "nudges.sweep",
          cron: SWEEP_CRON,
          run: async () => {
            const r = await runNudgeSweep(deps);
            logger.info({ members: r.members, fired: r.fired, duration_ms: Math.round(r.durationMs) }, "nudge sweep done");
          },
        },
      ]
    : [];
  return [
    ...nudgeSweep,
    {
      name: "maintenance.idempotency-purge",
      cron: "17 * * * *",
      run: async () => {
        const purged = await idempotency.purgeExpired();
        logger.info({ purged }, "expired idempotency records purged");
      },
    },
    {
      name: "maintenance.device-link-purge",
      cron: "23 * * * *",
      run: async () => {
        const purged = await purgeExpiredDeviceLinks(deps.orm.em.fork(), deps.now());
        logger.info({ purged }, "expired device link tokens and OAuth states purged");
      },
    },
  ];
}

const str = (v: unknown) => (typeof v === "string" && v ? v : undefined);

function sendGraphQLError(res: Response, pe: PublicError) {
  for (const [k, v] of Object.entries(pe.headers)) res.setHeader(k, v);
  res.status(pe.status).json({ errors: [{ message: pe.message, extensions: { code: pe.code, request_id: res.locals.requestId as string } }] });
}

/** One line per request: ids, operation, status, timing. Never headers, bodies or query strings. */
function accessLog(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    res.on("finish", () => {
      const started = res.locals.startedAt as bigint | undefined;
      logger.info(
        {
          request_id: res.locals.requestId,
          method: req.method,
          operation: res.locals.operation ?? req.baseUrl + ((req.route as { path?: string } | undefined)?.path ?? ""),
          status: res.statusCode,
          duration_ms: started ? Number(process.hrtime.bigint() - started) / 1e6 : undefined,
          org_id: res.locals.orgId,
          error_code: res.locals.errorCode,
        },
        "request",
      );
    });
    next();
  };
}
