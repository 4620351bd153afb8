import { getOperationAST, GraphQLError, parse, validate, type DocumentNode, type ExecutionArgs, type GraphQLSchema } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import crypto from "node:crypto";
import type http from "node:http";
import type { Logger } from "pino";
import { WebSocketServer } from "ws";
import { createContext, type Context } from "../resolvers/_shared/context";
import type { AppDeps } from "../resolvers/_shared/deps";
import { SYNTAX_ERROR_MESSAGE } from "../resolvers/_shared/error-mapping";
import { DomainError } from "../resolvers/_shared/errors";
import type { Credentials, Viewer } from "../resolvers/_shared/viewer";
import type { GraphQLGuard } from "./graphql-guard";
import type { RateLimits } from "./http/rate-limit";

/**
 * Close code for a live connection whose credential stopped being valid (tenant key revoked or
 * expired, member token expired, member deleted or re-registered). Documented in README.
 */
export const CREDENTIAL_INVALID_CLOSE = { code: 4401, reason: "credential no longer valid" } as const;

/** Connection state; the credentials stay in memory only, to re-authenticate, and are never logged. */
interface Connection {
  readonly id: string;
  readonly credentials: Credentials;
  viewer: Viewer;
  readonly timers: NodeJS.Timeout[];
  /** Operations in flight by graphql-ws message id, for the one log line each gets when it ends. */
  readonly ops: Map<string, Operation>;
  /** Closes the socket with 4401, once. */
  readonly revoke: () => void;
  revoked: boolean;
}

interface Operation {
  readonly requestId: string;
  readonly started: bigint;
  name?: string;
  kind?: string;
  errorCode?: string;
}

type Extra = { conn?: Connection };

export interface WsServerOptions {
  httpServer: http.Server;
  deps: AppDeps;
  schema: GraphQLSchema;
  guard: GraphQLGuard;
  rateLimits: RateLimits;
  logger: Logger;
}

/**
 * graphql-ws on `/graphql`, on the same guarded path as Apollo: every operation re-authenticates
 * the connection's credential, spends the caller's rate-limit budget like one HTTP request, is
 * parsed and validated with the full rule set (graphql-js + depth/alias/cost), and has its
 * variables and literals checked before execution. A live connection re-checks its credential
 * every `config.wsCredentialRecheckSeconds` and, for a member token, at its `exp`.
 */
export function createWsServer(opts: WsServerOptions): { dispose(): Promise<void> } {
  const { deps, schema, guard, rateLimits, logger } = opts;
  const recheckMs = deps.config.wsCredentialRecheckSeconds * 1000;

  const wss = new WebSocketServer({ server: opts.httpServer, path: "/graphql" });

  const recheck = async (conn: Connection) => {
    try {
      conn.viewer = (await authenticateLive(deps, conn.credentials, crypto.randomUUID())).viewer;
    } catch (err) {
      if (isCredentialFailure(err)) return conn.revoke();
      // The database being briefly unreachable is not the caller's fault: keep the connection.
      logger.warn({ connection_id: conn.id, err }, "graphql-ws credential re-check failed");
    }
  };

  const log = (conn: Connection, op: Operation, outcome: string) =>
    logger.info(
      {
        request_id: op.requestId,
        connection_id: conn.id,
        transport: "graphql-ws",
        operation: op.name ?? null,
        kind: op.kind ?? null,
        outcome,
        duration_ms: Number(process.hrtime.bigint() - op.started) / 1e6,
        org_id: conn.viewer.kind === "anonymous" ? undefined : conn.viewer.orgId,
      },
      "ws operation",
    );

  const finish = (conn: Connection | undefined, id: string, outcome?: string) => {
    const op = conn?.ops.get(id);
    if (!conn || !op) return;
    conn.ops.delete(id);
    log(conn, op, outcome ?? op.errorCode ?? (conn.revoked ? "credential_invalid" : "ok"));
  };

  const server = useServer<Record<string, unknown>, Extra>(
    {
      schema,
      onConnect: async (c) => {
        const p = c.connectionParams ?? {};
        const credentials = { tenantKey: str(p["taih-tenant-key"] ?? p.tenantKey), authorization: str(p.authorization ?? p.Authorization) };
        let viewer: Viewer;
        try {
          viewer = (await authenticateLive(deps, credentials, crypto.randomUUID())).viewer;
        } catch {
          return false;
        }
        const conn: Connection = {
          id: crypto.randomUUID(),
          credentials,
          viewer,
          timers: [],
          ops: new Map(),
          revoked: false,
          revoke: () => {
            if (conn.revoked) return;
            conn.revoked = true;
            c.extra.socket.close(CREDENTIAL_INVALID_CLOSE.code, CREDENTIAL_INVALID_CLOSE.reason);
          },
        };
        c.extra.conn = conn;
        if (viewer.kind !== "anonymous") conn.timers.push(setInterval(() => void recheck(conn), recheckMs).unref());
        // The credential's own expiry (a member token's exp, a tenant key's expires_at), from the verified viewer.
        const exp = viewer.kind === "anonymous" ? undefined : viewer.expiresAt;
        const untilExp = exp === undefined ? undefined : Math.max(0, exp - deps.now().getTime());
        // Beyond setTimeout's range a timer would fire at once; the periodic re-check catches such an expiry.
        if (untilExp !== undefined && untilExp <= MAX_TIMER_MS) conn.timers.push(setTimeout(conn.revoke, untilExp).unref());
        return true;
      },
      onClose: (c) => {
        for (const t of c.extra.conn?.timers ?? []) clearTimeout(t);
      },
      onSubscribe: async (c, id, payload) => {
        const conn = c.extra.conn!;
        const op: Operation = { requestId: crypto.randomUUID(), started: process.hrtime.bigint() };
        conn.ops.set(id, op);
        const reject = (errors: readonly GraphQLError[]) =>
          errors.map((e) => {
            const f = guard.formatError(e.toJSON(), e);
            return new GraphQLError(f.message, { nodes: e.nodes, source: e.source, positions: e.positions, extensions: f.extensions });
          });
        const fail = (err: unknown) => reject([err instanceof GraphQLError ? err : new GraphQLError(String((err as Error).message), { originalError: err as Error })]);

        let ctx: Context;
        try {
          ctx = await authenticateLive(deps, conn.credentials, op.requestId);
          conn.viewer = ctx.viewer;
        } catch (err) {
          if (isCredentialFailure(err)) conn.revoke();
          return fail(err);
        }
        try {
          await rateLimits.consume(ctx.viewer);
        } catch (err) {
          return fail(err);
        }
        let document: DocumentNode;
        try {
          document = parse(payload.query);
        } catch (err) {
          const e = err as GraphQLError;
          return reject([new GraphQLError(SYNTAX_ERROR_MESSAGE, { source: e.source, positions: e.positions, extensions: { code: "invalid_request" } })]);
        }
        const errors = validate(schema, document, guard.rules);
        if (errors.length) return reject(guard.redactLiterals(document, errors));
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) return reject([new GraphQLError("Unable to identify the operation to run", { extensions: { code: "invalid_request" } })]);
        op.name = operation.name?.value;
        op.kind = operation.operation;
        try {
          guard.checkInput(document, operation, payload.variables);
        } catch (err) {
          return fail(err);
        }
        const args: ExecutionArgs = { schema, document, operationName: payload.operationName, variableValues: payload.variables, contextValue: ctx };
        return args;
      },
      onNext: (c, id, _payload, _args, result) => {
        if (!result.errors?.length) return result;
        const errors = result.errors.map((e) => guard.formatError(e.toJSON(), e));
        const op = c.extra.conn?.ops.get(id);
        if (op) op.errorCode ??= String(errors[0].extensions?.code);
        return { ...result, errors };
      },
      onError: (c, id, _payload, errors) => {
        // Errors from onSubscribe are formatted already (they carry extensions.code); execution errors are not.
        const formatted = errors.map((e) => (e.extensions?.code ? e.toJSON() : guard.formatError(e.toJSON(), e)));
        const code = formatted[0]?.extensions?.code;
        finish(c.extra.conn, id, typeof code === "string" ? code : "error");
        return formatted;
      },
      onComplete: (c, id) => finish(c.extra.conn, id),
    },
    wss,
  );
  return { dispose: async () => void (await server.dispose()) };
}

/**
 * The connection's credential, checked as one HTTP request would (`createContext`), plus what a
 * request would only notice on first use: a member token whose member was deleted or re-registered.
 */
async function authenticateLive(deps: AppDeps, credentials: Credentials, requestId: string): Promise<Context> {
  const ctx = await createContext(deps, { requestId, credentials });
  if (ctx.viewer.kind === "member") await ctx.services.users.requireMember(ctx.viewer.userId);
  return ctx;
}

function isCredentialFailure(err: unknown): boolean {
  return err instanceof DomainError && (err.code === "unauthorized" || err.code === "not_found" || err.code === "forbidden" || err.code === "invalid_request");
}

const MAX_TIMER_MS = 2 ** 31 - 1;
const str = (v: unknown) => (typeof v === "string" && v ? v : undefined);
