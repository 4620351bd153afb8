import { createClient, type Client } from "graphql-ws";
import jwt from "jsonwebtoken";
import crypto from "node:crypto";
import WebSocket from "ws";
import { JWT_AUDIENCE, JWT_ISSUER } from "../../resolvers/auth/authenticate";
import { startHarness, waitFor, type Harness, type TestTenant } from "../helpers/harness";

const NUDGES = "subscription { nudgeCreated { eventId } }";
const EVENTS = "subscription { events { eventId } }";

/** One graphql-ws connection that can run several operations and records how it closed. */
function connect(h: Harness, connectionParams: Record<string, unknown>) {
  const state: { closed?: { code: number; reason: string; at: number } } = {};
  const client: Client = createClient({
    url: h.baseUrl.replace("http", "ws") + "/graphql",
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => undefined, // the close is recorded in `state` and asserted by the test
    on: { closed: (e) => void (state.closed ??= { code: (e as CloseEvent).code, reason: (e as CloseEvent).reason, at: Date.now() }) },
  });
  return {
    state,
    /** Runs one operation to its end: the last result, or the error message's errors, or the close code. */
    run(query: string, variables: Record<string, unknown> = {}) {
      return new Promise<{ data?: any; errors?: any[]; closed?: number }>((resolve) => {
        let last: { data?: any; errors?: any[] } = {};
        client.subscribe(
          { query, variables },
          {
            next: (v) => void (last = v as typeof last),
            error: (e) => resolve(Array.isArray(e) ? { errors: e } : { closed: (e as CloseEvent).code }),
            complete: () => resolve(last),
          },
        );
      });
    },
    /** Starts a subscription; `ended` resolves with how it ended (errors or the close code). */
    live(query: string) {
      return new Promise<{ errors?: any[]; closed?: number; completed?: boolean }>((resolve) => {
        client.subscribe(
          { query },
          {
            next: () => undefined,
            error: (e) => resolve(Array.isArray(e) ? { errors: e } : { closed: (e as CloseEvent).code }),
            complete: () => resolve({ completed: true }),
          },
        );
      });
    },
    /** Resolves once the server has acknowledged the connection. */
    ready: () => new Promise<void>((resolve) => client.on("connected", () => resolve())),
    close: () => client.dispose(),
  };
}

const codeOf = (r: { errors?: any[] }) => r.errors?.[0]?.extensions?.code;
const TOTAL = "{ users { pagination { total } } }";

/** Revokes the tenant's original key with a second one (a key cannot revoke itself). */
async function revokeOriginalKey(h: Harness, t: TestTenant) {
  const second = await h.req("POST", "/v1/admin/org/tenant-keys", { key: t.key, body: { name: "second" } });
  expect(second.status).toBe(201);
  const keyId = /^ak_[a-z]+_([a-z0-9]+)\./.exec(t.key)![1];
  expect((await h.req("DELETE", `/v1/admin/org/tenant-keys/${keyId}`, { key: second.body.data.secret })).status).toBe(204);
}

/** A member token as authenticate() accepts it, expiring `seconds` from now. */
function shortToken(h: Harness, orgId: string, userId: string, seconds: number) {
  const iat = Math.floor(Date.now() / 1000);
  const token = jwt.sign({ sub: userId, org_id: orgId, scope: "member", iat, exp: iat + seconds, jti: crypto.randomUUID() }, h.app.deps.secretBox.jwtKey, {
    algorithm: "HS256",
    issuer: JWT_ISSUER,
    audience: JWT_AUDIENCE,
  });
  return { token, expMs: (iat + seconds) * 1000 };
}

describe("graphql-ws: the same validation and rate limits as /graphql", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { GRAPHQL_MAX_DEPTH: "3", GRAPHQL_MAX_ALIASES: "2", RATE_LIMIT_MEMBER_PER_MINUTE: "4" } });
  });
  afterAll(() => h.stop());

  it("refuses a too-deep operation with invalid_request and keeps the connection open", async () => {
    const t = await h.tenant();
    const c = connect(h, { "taih-tenant-key": t.key });
    const deep = await c.run("{ users { items { profile { name } } } }");
    expect(deep.data).toBeUndefined();
    expect(codeOf(deep)).toBe("invalid_request");
    expect(await c.run(TOTAL)).toEqual({ data: { users: { pagination: { total: 0 } } } });
    expect(c.state.closed).toBeUndefined();
    await c.close();
  });

  it("refuses too many aliases the same way over /graphql and graphql-ws", async () => {
    const t = await h.tenant();
    const query = "{ a: users { pagination { total } } b: users { pagination { total } } c: users { pagination { total } } }";
    const c = connect(h, { "taih-tenant-key": t.key });
    const ws = await c.run(query);
    const http = await h.gql(query, {}, { key: t.key });
    expect(codeOf(ws)).toBe("invalid_request");
    expect(http.body.errors[0].extensions.code).toBe("invalid_request");
    expect(ws.errors![0].message).toBe(http.body.errors[0].message);
    expect(c.state.closed).toBeUndefined();
    await c.close();
  });

  it("charges each ws operation to the caller's budget and answers over-budget operations with rate_limited, connection open", async () => {
    const t = await h.tenant();
    const m = await t.member();
    const c = connect(h, { authorization: `Bearer ${m.token}` });
    const own = "query($id: UUID!) { user(userId: $id) { userId } }";
    expect((await c.run(own, { id: m.userId })).data).toEqual({ user: { userId: m.userId } });
    expect((await h.gql(own, { id: m.userId }, { token: m.token })).status).toBe(200); // HTTP spends the same budget
    expect((await c.run(own, { id: m.userId })).data).toBeDefined();
    expect((await c.run(own, { id: m.userId })).data).toBeDefined();
    const over = await c.run(own, { id: m.userId });
    expect(codeOf(over)).toBe("rate_limited");
    expect(codeOf(await c.live(NUDGES))).toBe("rate_limited");
    expect((await h.gql(own, { id: m.userId }, { token: m.token })).status).toBe(429);
    expect(c.state.closed).toBeUndefined();
    await c.close();
  });

  it("reports bad variables as validation_error with field details, over both transports", async () => {
    const t = await h.tenant();
    const query = "query($limit: Int!) { users(limit: $limit) { pagination { total } } }";
    const c = connect(h, { "taih-tenant-key": t.key });
    const http = await h.gql(query, { limit: "many" }, { key: t.key });
    expect(http.status).toBe(422);
    for (const res of [await c.run(query, { limit: "many" }), http.body]) {
      expect(codeOf(res)).toBe("validation_error");
      expect(res.errors[0].extensions.details).toEqual([{ field: "limit", code: "invalid_value", message: "must be an integer" }]);
    }
    const missing = await c.run(query, {});
    expect(missing.errors![0].extensions.details).toEqual([{ field: "limit", code: "required", message: "is required" }]);
    const nul = await c.run(query, { limit: null });
    expect(nul.errors![0].extensions.details).toEqual([{ field: "limit", code: "required", message: "must not be null" }]);
    const org = await c.run("mutation($input: UpdateOrgInput!) { updateOrg(input: $input) { name } }", { input: { name: 7, nudgeDelivery: "loud", nmae: "x" } });
    expect(org.errors![0].extensions.details).toEqual([
      { field: "name", code: "invalid_value", message: "must be a string" },
      { field: "nudgeDelivery", code: "invalid_value", message: "must be one of: basic, full" },
      { field: "nmae", code: "unknown_field", message: "is not a recognised field" },
    ]);
    const nulled = await c.run("mutation($input: UpdateOrgInput!) { updateOrg(input: $input) { name } }", { input: { name: null } });
    expect(nulled.errors![0].extensions).toEqual({ code: "validation_error", details: [{ field: "name", code: "required", message: "must not be null" }] });
    await c.close();
  });
});

describe("graphql-ws: a live connection ends when its credential stops being valid", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { WS_CREDENTIAL_RECHECK_SECONDS: "0.2" } });
  });
  afterAll(() => h.stop());

  it("closes a live subscription with 4401 once its tenant key is revoked, and refuses the key afterwards", async () => {
    const t = await h.tenant();
    const c = connect(h, { "taih-tenant-key": t.key });
    const ended = c.live(EVENTS);
    await c.ready();
    await revokeOriginalKey(h, t);
    expect(await ended).toEqual({ closed: 4401 });
    expect(c.state.closed).toMatchObject({ code: 4401, reason: "credential no longer valid" });
    const again = connect(h, { "taih-tenant-key": t.key });
    expect(await again.run(TOTAL)).toEqual({ closed: 4403 });
    await Promise.all([c.close(), again.close()]);
  });

  it("closes a live subscription with 4401 when its member is deleted", async () => {
    const t = await h.tenant();
    const m = await t.member();
    const c = connect(h, { authorization: `Bearer ${m.token}` });
    const ended = c.live(NUDGES);
    await c.ready();
    expect((await h.req("DELETE", `/v1/users/${m.userId}`, { token: m.token })).status).toBe(204);
    expect(await ended).toEqual({ closed: 4401 });
    await c.close();
  });
});

describe("graphql-ws: per-operation re-authentication and token expiry (no periodic re-check in time)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { WS_CREDENTIAL_RECHECK_SECONDS: "60" } });
  });
  afterAll(() => h.stop());

  it("re-authenticates every new operation: after revocation the next operation closes the connection", async () => {
    const t = await h.tenant();
    const c = connect(h, { "taih-tenant-key": t.key });
    expect((await c.run(TOTAL)).data).toBeDefined();
    await revokeOriginalKey(h, t);
    expect(await c.run(TOTAL)).toEqual({ closed: 4401 });
    await c.close();
  });

  it("closes a member's live subscription exactly at the token's exp", async () => {
    const t = await h.tenant();
    const m = await t.member();
    const { token, expMs } = shortToken(h, t.orgId, m.userId, 2);
    const c = connect(h, { authorization: `Bearer ${token}` });
    const ended = c.live(NUDGES);
    await c.ready();
    expect(await ended).toEqual({ closed: 4401 });
    const closedAt = await waitFor(async () => c.state.closed?.at);
    expect(closedAt).toBeGreaterThanOrEqual(expMs - 20);
    expect(closedAt).toBeLessThan(expMs + 1000);
    await c.close();
  });

  it("closes a tenant dashboard's live subscription exactly when its tenant key expires", async () => {
    const t = await h.tenant();
    const keyId = /^ak_[a-z]+_([a-z0-9]+)\./.exec(t.key)![1];
    const expMs = Date.now() + 2000;
    await h.app.deps.orm.em
      .fork()
      .getConnection()
      .execute("update tenant_keys set expires_at = ? where id = ?", [new Date(expMs), keyId]);
    const c = connect(h, { "taih-tenant-key": t.key });
    const ended = c.live(EVENTS);
    await c.ready();
    expect(await ended).toEqual({ closed: 4401 });
    const closedAt = await waitFor(async () => c.state.closed?.at);
    expect(closedAt).toBeGreaterThanOrEqual(expMs - 20);
    expect(closedAt).toBeLessThan(expMs + 1000);
    await c.close();
  });
});
