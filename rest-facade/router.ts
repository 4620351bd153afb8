import express, { type NextFunction, type Request, type Response } from "express";
import { execute, type GraphQLSchema } from "graphql";
import { assertNoNulCharacters } from "../resolvers/_shared/nul-guard";
import crypto from "node:crypto";
import type { Logger } from "pino";
import type { Context } from "../resolvers/_shared/context";
import { normalizeError } from "../resolvers/_shared/error-mapping";
import { DomainError, toPublicError, type PublicError } from "../resolvers/_shared/errors";
import { callerScope, type Viewer } from "../resolvers/_shared/viewer";
import { bodyParserError } from "./body-errors";
import { snakePath } from "./case";
import { bindVariables, pageEnvelope, shapeValue, type CompiledRoute } from "./compile";

/** What the facade needs from the composition root (it never imports services or entities). */
export interface FacadeDeps {
  schema: GraphQLSchema;
  routes: CompiledRoute[];
  bodyLimitBytes: number;
  logger: Logger;
  createContext(req: Request, requestId: string): Promise<Context>;
  rateLimit(viewer: Viewer): Promise<Record<string, string>>;
  idempotency: {
    begin(
      scope: string,
      key: string,
      viewer: Viewer,
      hash: string,
    ): Promise<{ state: "new" } | { state: "replay"; status: number; body: string | null } | { state: "conflict" } | { state: "in_progress" }>;
    complete(scope: string, key: string, status: number, body: string | null): Promise<void>;
  };
  sendError(res: Response, pe: PublicError): void;
}

interface Outcome {
  status: number;
  body: string | null;
}

const IDEMPOTENCY_KEY_RE = /^[\x21-\x7e]{1,255}$/;
const BODY_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** The /v1 router: route table → named GraphQL operation, executed in process with the shared context. */
export function createRestRouter(deps: FacadeDeps): express.Router {
  const router = express.Router();
  const json = express.json({ limit: deps.bodyLimitBytes, strict: true, type: () => true });

  router.use(async (req: Request, res: Response, _next: NextFunction) => {
    const requestId = String(res.locals.requestId);
    try {
      const match = matchRoute(deps.routes, req.method, req.baseUrl + req.path);
      if (match.kind === "not_found") throw new DomainError("not_found", "No such route");
      if (match.kind === "method_not_allowed") {
        throw new DomainError("method_not_allowed", `Method ${req.method} is not allowed on this path`, [], { allow: match.allow.join(", ") });
      }
      const { route, values } = match;
      res.locals.operation = route.operationName;

      if (BODY_METHODS.has(req.method) && hasBody(req)) {
        if (!req.is("application/json") && !req.is("application/*+json")) {
          throw new DomainError("unsupported_media_type", "The request body must be application/json");
        }
        await new Promise<void>((resolve, reject) => json(req, res, (err?: Error) => (err ? reject(err) : resolve())));
      }

      // Both headers at once is rejected (400) by authenticate() inside createContext. A "none" route
      // requires neither; whatever is sent is still authenticated there.
      const hasKey = !!req.get("taih-tenant-key");
      const hasBearer = !!req.get("authorization");
      if (route.auth === "tenant" && !hasKey) throw new DomainError("unauthorized", "This route requires the taih-tenant-key header");
      if (route.auth === "member" && !hasBearer) throw new DomainError("unauthorized", "This route requires a member bearer token");

      const ctx = await deps.createContext(req, requestId);
      res.locals.orgId = ctx.viewer.kind === "anonymous" ? undefined : ctx.viewer.orgId;
      for (const [k, v] of Object.entries(await deps.rateLimit(ctx.viewer))) res.setHeader(k, v);

      const run = () => runRoute(deps, route, ctx, { pathValues: values, query: req.query, body: req.body });
      const key = req.get("idempotency-key");
      let outcome: Outcome;
      if (req.method === "POST" && key !== undefined) {
        if (!IDEMPOTENCY_KEY_RE.test(key)) throw new DomainError("invalid_request", "Idempotency-Key must be 1–255 visible ASCII characters");
        outcome = await withIdempotency(deps, ctx, key, req, run);
      } else {
        outcome = await run();
      }
      if (route.cacheControl && outcome.status === 200 && outcome.body !== null) {
        const etag = `"${crypto.createHash("sha256").update(outcome.body).digest("base64url")}"`;
        res.setHeader("cache-control", route.cacheControl);
        res.setHeader("etag", etag);
        if (notModified(req.get("if-none-match"), etag)) return void res.status(304).end();
      }
      res.status(outcome.status);
      if (outcome.body === null) res.end();
      else res.type("application/json").send(outcome.body);
    } catch (err) {
      deps.sendError(res, toWireError(deps, err, requestId));
    }
  });
  return router;
}

type Match = { kind: "found"; route: CompiledRoute; values: string[] } | { kind: "method_not_allowed"; allow: string[] } | { kind: "not_found" };

/** HEAD runs the GET route (same status and headers; Node sends no body), as HTTP asks of every GET. */
function matchRoute(routes: CompiledRoute[], method: string, path: string): Match {
  const wanted = method === "HEAD" ? "GET" : method;
  const allow = new Set<string>();
  for (const route of routes) {
    const m = route.regex.exec(path);
    if (!m) continue;
    if (route.method === wanted) return { kind: "found", route, values: m.slice(1) };
    allow.add(route.method);
    if (route.method === "GET") allow.add("HEAD");
  }
  return allow.size ? { kind: "method_not_allowed", allow: [...allow].sort() } : { kind: "not_found" };
}

/** RFC 9110 §13.1.2: If-None-Match matches on `*` or any listed tag, compared weakly (a W/ prefix is ignored). */
function notModified(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(",").some((t) => {
    const tag = t.trim();
    return tag === "*" || tag.replace(/^W\//, "") === etag;
  });
}

function hasBody(req: Request): boolean {
  const len = req.get("content-length");
  return (len !== undefined && len !== "0") || req.get("transfer-encoding") !== undefined;
}

async function runRoute(
  deps: FacadeDeps,
  route: CompiledRoute,
  ctx: Context,
  wire: { pathValues: string[]; query: Record<string, unknown>; body: unknown },
): Promise<Outcome> {
  const variableValues = bindVariables(route, wire);
  assertNoNulCharacters(variableValues);
  const result = await execute({
    schema: deps.schema,
    document: route.document,
    contextValue: ctx,
    variableValues,
    operationName: route.operationName,
  });
  if (result.errors?.length) throw result.errors[0];
  const value = result.data?.[route.rootKey];
  if ((value === null || value === undefined) && route.notFoundOnNull) throw new DomainError("not_found", "Resource not found");
  const status = route.status ?? 200;
  if (status === 204) return { status, body: null };
  const payload = route.isPage ? pageEnvelope(value as Record<string, unknown>, route.rootShape!) : { data: shapeValue(value, route.rootShape) };
  return { status, body: JSON.stringify(payload) };
}

async function withIdempotency(deps: FacadeDeps, ctx: Context, key: string, req: Request, run: () => Promise<Outcome>): Promise<Outcome> {
  const viewer = ctx.viewer;
  const scope = callerScope(viewer);
  if (!scope) return run();
  const hash = crypto
    .createHash("sha256")
    .update(`${req.method} ${req.originalUrl}\n${JSON.stringify(req.body ?? null)}`)
    .digest("hex");
  const begun = await deps.idempotency.begin(scope, key, viewer, hash);
  if (begun.state === "conflict") throw new DomainError("idempotency_conflict", "This Idempotency-Key was already used for a different request");
  if (begun.state === "in_progress") throw new DomainError("idempotency_in_progress", "A request with this Idempotency-Key is still in progress");
  if (begun.state === "replay") {
    // A replayed error names this request's id; everything else is byte-identical to the first response.
    if (begun.status >= 400 && begun.body) {
      const parsed = JSON.parse(begun.body) as { error: { request_id: string } };
      parsed.error.request_id = ctx.requestId;
      return { status: begun.status, body: JSON.stringify(parsed) };
    }
    return begun;
  }
  let outcome: Outcome;
  try {
    outcome = await run();
  } catch (err) {
    const pe = toPublicError(normalizeError(err).original);
    // Store expected failures (4xx) with the request id blanked, so a replay is byte-identical.
    if (pe.status < 500) {
      const body = JSON.stringify({ error: { code: pe.code, message: pe.message, details: wireDetails(pe).details, request_id: "" } });
      await deps.idempotency.complete(scope, key, pe.status, body);
    } else {
      await deps.idempotency.complete(scope, key, pe.status, null);
    }
    throw err;
  }
  await deps.idempotency.complete(scope, key, outcome.status, outcome.body);
  return outcome;
}

function wireDetails(pe: PublicError): PublicError {
  return { ...pe, details: pe.details.map((d) => ({ ...d, field: snakePath(d.field.replace(/^input\./, "")) })) };
}

function toWireError(deps: FacadeDeps, err: unknown, requestId: string): PublicError {
  const bodyErr = bodyParserError(err);
  if (bodyErr) return toPublicError(bodyErr);
  const n = normalizeError(err);
  if (!n.expected) deps.logger.error({ err: n.original, request_id: requestId }, "unhandled error");
  return wireDetails(n);
}
