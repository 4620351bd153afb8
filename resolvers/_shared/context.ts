import type { EntityManager } from "@mikro-orm/postgresql";
import { authenticate } from "../auth";
import type { AppDeps } from "./deps";
import { Services } from "./services";
import type { Credentials, Viewer } from "./viewer";

/** Everything request-scoped. Built by `createContext()` for Apollo, the REST facade and graphql-ws alike. */
export interface Context {
  readonly requestId: string;
  readonly viewer: Viewer;
  readonly deps: AppDeps;
  em: EntityManager;
  services: Services;
}

export interface ContextInput {
  requestId: string;
  credentials: Credentials;
}

/** Authenticates the credentials (throws `DomainError` on bad ones) and builds a fresh context. */
export async function createContext(deps: AppDeps, input: ContextInput): Promise<Context> {
  const em = deps.orm.em.fork() as EntityManager;
  const viewer = await authenticate(em, deps, input.credentials);
  const ctx = { requestId: input.requestId, viewer, deps, em } as Context;
  ctx.services = new Services(ctx);
  return ctx;
}
