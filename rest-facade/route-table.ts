import type { TypedDocumentNode } from "@graphql-typed-document-node/core";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** One documented REST route, mapped onto one named GraphQL operation. */
export interface RouteDef {
  method: HttpMethod;
  /** Express-style template; `:snake_name` binds the GraphQL variable `camelName`. */
  path: string;
  /** The typed operation (codegen output). Its name is the OpenAPI operationId and the log label. */
  document: TypedDocumentNode<unknown, never>; // <unknown, never>: every operation's typed document is assignable
  /**
   * Which credential the route takes: `taih-tenant-key`, a member bearer token, or `none` for a public
   * route whose body carries its own proof (an invite token). Credentials sent to a `none` route are
   * still authenticated as usual (a bad one is 401).
   */
  auth: "tenant" | "member" | "none";
  /** Success status; 204 sends no body. Default 200. */
  status?: 200 | 201 | 202 | 204;
  /** The variable that receives the JSON body (keys snake_case → camelCase, checked against its input type). */
  body?: string;
  /**
   * GET only: the response is cacheable. It carries this `Cache-Control` and a strong `ETag` (a
   * digest of the body); a request whose `If-None-Match` lists the current tag gets 304 with no body.
   */
  cacheControl?: string;
  /** Render a null root field as 404 not_found. */
  notFoundOnNull?: boolean;
  /** OpenAPI tag (the docs' tag group) and one-line summary. */
  tag: string;
  summary: string;
  description?: string;
}
