/** Who is calling. Built once per request (or per WebSocket connection) by `authenticate()`. */
export type Viewer =
  | { kind: "anonymous" }
  | { kind: "tenant"; orgId: string; keyId: string; environment: string; /** When the key expires (ms since epoch), if it does. */ expiresAt?: number }
  | { kind: "member"; orgId: string; userId: string; scope: string; issuedAt: number; /** The token's `exp` (ms since epoch). */ expiresAt?: number };

export type TenantViewer = Extract<Viewer, { kind: "tenant" }>;
export type MemberViewer = Extract<Viewer, { kind: "member" }>;

/** Credentials as presented on the wire (HTTP headers or graphql-ws connectionParams). */
export interface Credentials {
  tenantKey?: string;
  authorization?: string;
}

/** The rate-limit / idempotency scope of a caller. */
export function callerScope(viewer: Viewer): string | null {
  if (viewer.kind === "tenant") return `org:${viewer.orgId}`;
  if (viewer.kind === "member") return `member:${viewer.orgId}:${viewer.userId}`;
  return null;
}
