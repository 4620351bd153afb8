import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { expressMiddleware } from "@as-integrations/express5";
import express, { type NextFunction, type Request, type Response } from "express";
import type { GraphQLSchema } from "graphql";
import http from "node:http";
import type { Logger } from "pino";
import { createContext, type Context } from "../../resolvers/_shared/context";
import type { AppDeps } from "../../resolvers/_shared/deps";
import { normalizeError } from "../../resolvers/_shared/error-mapping";
import { DomainError, toPublicError, type PublicError } from "../../resolvers/_shared/errors";
import type { Credentials } from "../../resolvers/_shared/viewer";
import { bodyParserError } from "../../rest-facade/body-errors";
import type { CompiledRoute } from "../../rest-facade/compile";
import { createDocsRouter } from "../../rest-facade/docs";
import { buildOpenApi } from "../../rest-facade/openapi";
import { createRestRouter } from "../../rest-facade/router";
import { createDashboardRouter } from "../dashboard";
import { apolloGuardPlugin, type GraphQLGuard } from "../graphql-guard";
import type { IdempotencyStore } from "./idempotency";
import type { RateLimits } from "./rate-limit";
import { createRequestIdMiddleware } from "./request-id";
import { sendError } from "./send-error";

export interface HttpAppOptions {
  deps: AppDeps;
  schema: GraphQLSchema;
  routes: CompiledRoute[];
  guard: GraphQLGuard;
  rateLimits: RateLimits;
  idempotency: IdempotencyStore;
  logger: Logger;
  /** Stops the WebSocket server on the same port; Apollo's drain calls it. */
  drainWebSockets: () => Promise<void>;
  /** While true, health checks answer 503 so the load balancer stops routing here. */
  isDraining: () => boolean;
}

export interface HttpApp {
  readonly httpServer: http.Server;
  /** Mounts the routes (Apollo must have started first); call once, before listening. */
  start(): Promise<void>;
  /** Drains in-flight HTTP requests and the WebSocket server. */
  stop(): Promise<void>;
}

const credentialsFromHeaders = (req: Request): Credentials => ({
  tenantKey: req.get("taih-tenant-key") || undefined,
  authorization: req.get("authorization") || undefined,
});

/** Express: health checks, docs, Apollo on `/graphql` and the REST facade on `/v1`, one error format each. */
export function createHttpApp(opts: HttpAppOptions): HttpApp {
  const { deps, schema, routes, guard, rateLimits, logger } = opts;
  const { config, orm } = deps;
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.set("query parser", "simple");
  const httpServer = http.createServer(app);

  const apollo = new ApolloServer<Context>({
    schema,
    introspection: !config.isProduction,
    hideSchemaDetailsFromClientErrors: config.isProduction,
    includeStacktraceInErrorResponses: false,
    // The entry points own SIGTERM/SIGINT (drain, stop workers, close the pool, stop the database).
    stopOnTerminationSignals: false,
    validationRules: [...guard.limitRules],
    formatError: (formatted, error) => guard.formatError(formatted, error),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: config.shutdownTimeoutMs }),
      { serverWillStart: async () => ({ drainServer: opts.drainWebSockets }) },
      ApolloServerPluginLandingPageDisabled(),
      // We send no cache hints; Apollo's default cache-control plugin would wrap every field resolver to collect them.
      ApolloServerPluginCacheControlDisabled(),
      apolloGuardPlugin(guard),
    ],
  });

  const mount = () => {
    const openApi = JSON.stringify(buildOpenApi(schema, routes));
    app.use(createRequestIdMiddleware());
    app.use(accessLog(logger));
    app.get("/healthz", (_req, res) => void res.status(opts.isDraining() ? 503 : 200).json({ status: opts.isDraining() ? "draining" : "ok" }));
    app.get("/readyz", async (_req, res) => {
      if (opts.isDraining()) return void res.status(503).json({ status: "draining" });
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
        idempotency: opts.idempotency,
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
  };

  return {
    httpServer,
    start: async () => {
      await apollo.start();
      mount();
    },
    stop: () => apollo.stop(),
  };
}

function sendGraphQLError(res: Response, pe: PublicError) {
  for (const [k, v] of Object.entries(pe.headers)) res.setHeader(k, v);
  res.status(pe.status).json({ errors: [{ message: pe.message, extensions: { code: pe.code, request_id: String(res.locals.requestId) } }] });
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
          operation: (res.locals.operation as string | undefined) ?? req.baseUrl + ((req.route as { path?: string } | undefined)?.path ?? ""),
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
