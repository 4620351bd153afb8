import { createClient } from "graphql-ws";
import pino from "pino";
import { Writable } from "node:stream";
import WebSocket from "ws";
import { startHarness, type Harness, type HttpResult, type TestMember, type TestTenant } from "../helpers/harness";

/**
 * Privacy: whatever a caller sends, a rejection never quotes it back, in the response or in the
 * logs. Recognisable values go through every transport (REST, /graphql, graphql-ws) as wrong
 * types, nulls, inline literals, out-of-range values and bad scalars.
 */
const NOTE = "ZQXJ-SECRET-7731";
const WEIGHT = 2987.654321; // over the 2,000 maximum
const BIG_INT = 9876543219; // not a 32-bit Int
const MARKERS = [NOTE, "987.654321", "987654321"];

const lines: string[] = [];
let h: Harness;
let t: TestTenant;
let m: TestMember;
let actionId: string;

beforeAll(async () => {
  const sink = new Writable({ write: (chunk, _enc, done) => void (lines.push(String(chunk)), done()) });
  h = await startHarness({ logger: pino({ level: "debug" }, sink) });
  t = await h.tenant();
  m = await t.member();
  const created = await h.req("POST", `/v1/users/${m.userId}/health-actions`, { token: m.token, body: { title: "Walk", scheduled_at: "2030-01-01T08:00:00Z" } });
  expect(created.status).toBe(201);
  actionId = created.body.data.health_action_id;
});
afterAll(() => h.stop());

const expectNoEcho = (what: string, text: string) => {
  for (const marker of MARKERS) expect({ what, leaked: text.includes(marker) }).toEqual({ what, leaked: false });
};

/** Runs one operation over graphql-ws and returns what the server sent back (result or errors). */
function overWs(query: string, variables: Record<string, unknown>, connectionParams: Record<string, unknown>) {
  const client = createClient({ url: h.baseUrl.replace("http", "ws") + "/graphql", webSocketImpl: WebSocket, connectionParams, retryAttempts: 0, lazy: true });
  return new Promise<unknown>((resolve) => {
    let last: unknown = null;
    client.subscribe(
      { query, variables },
      { next: (v) => void (last = v), error: (e) => resolve(Array.isArray(e) ? { errors: e } : { closed: (e as CloseEvent).code }), complete: () => resolve(last) },
    );
  }).finally(() => client.dispose());
}

const REST_CASES: [string, string, Record<string, unknown> | undefined][] = [
  ["PATCH", "/v1/users/:user", { weight: NOTE }],
  ["PATCH", "/v1/users/:user", { weight: WEIGHT }],
  ["PATCH", "/v1/users/:user", { weight: -WEIGHT }],
  ["PATCH", "/v1/users/:user", { birthday: NOTE }],
  ["PATCH", "/v1/users/:user", { timezone: NOTE }],
  ["PATCH", "/v1/users/:user", { gender: NOTE }],
  ["PATCH", "/v1/users/:user", { preferences: `${NOTE}\u0000` }],
  ["PATCH", "/v1/users/:user", { location: NOTE }],
  ["POST", "/v1/users/:user/health-actions", { title: WEIGHT, scheduled_at: NOTE }],
  ["POST", "/v1/users/:user/health-actions", { title: NOTE.repeat(20), scheduled_at: "2030-01-01T08:00:00Z" }],
  ["POST", "/v1/users/:user/health-actions", { title: null, scheduled_at: null }],
  ["PATCH", "/v1/users/:user/health-actions/:action", { status: NOTE }],
  ["PATCH", "/v1/users/:user/health-actions/:action", { title: null, scheduled_at: `${WEIGHT}` }],
  ["GET", `/v1/users/${NOTE}`, undefined],
  ["GET", `/v1/users?limit=${BIG_INT}`, undefined],
  ["GET", `/v1/users?limit=${NOTE}`, undefined],
];

const UPDATE_USER = "mutation($id: UUID!, $input: UpdateUserInput!) { updateUser(userId: $id, input: $input) { userId } }";
const UPDATE_ACTION =
  "mutation($id: UUID!, $a: UUID!, $input: UpdateHealthActionInput!) { updateHealthAction(userId: $id, healthActionId: $a, input: $input) { title } }";
const USERS = "query($limit: Int!) { users(limit: $limit) { pagination { total } } }";

/** GraphQL operations as [query, variables, credential]: variables of the wrong type, nulls, literals, bad scalars. */
const graphqlCases = (): [string, Record<string, unknown>, "member" | "tenant"][] => [
  [UPDATE_USER, { id: m.userId, input: { weight: NOTE } }, "member"],
  [UPDATE_USER, { id: m.userId, input: { weight: WEIGHT } }, "member"],
  [UPDATE_USER, { id: m.userId, input: { birthday: NOTE, timezone: NOTE, gender: NOTE } }, "member"],
  [UPDATE_USER, { id: m.userId, input: { preferences: `${NOTE}\u0000` } }, "member"],
  [UPDATE_USER, { id: NOTE, input: {} }, "member"],
  [UPDATE_USER, { id: m.userId, input: { [NOTE.replace(/-/g, "_")]: 1, weight: [NOTE] } }, "member"],
  [UPDATE_ACTION, { id: m.userId, a: actionId, input: { status: NOTE, title: null, scheduledAt: NOTE } }, "member"],
  [USERS, { limit: BIG_INT }, "tenant"],
  [USERS, { limit: NOTE }, "tenant"],
  [USERS, { limit: WEIGHT }, "tenant"],
  [`{ users(limit: "${NOTE}") { pagination { total } } }`, {}, "tenant"],
  [`{ users(limit: ${BIG_INT}) { pagination { total } } }`, {}, "tenant"],
  [`{ users(limit: ${WEIGHT}) { pagination { total } } }`, {}, "tenant"],
  [`{ user(userId: "${NOTE}") { userId } }`, {}, "tenant"],
  [
    `mutation { updateUser(userId: "${"0".repeat(8)}-0000-4000-8000-${"0".repeat(12)}", input: { weight: "${NOTE}", gender: ${NOTE.replace(/-/g, "_")} }) { userId } }`,
    {},
    "tenant",
  ],
  [`mutation { updateUser(userId: "${m.userId}", input: { weight: ${WEIGHT}, preferences: "${NOTE}\\u0000" }) { userId } }`, {}, "member"],
  [`query($limit: Int = "${NOTE}") { users(limit: $limit) { pagination { total } } }`, {}, "tenant"],
  [`{ "${NOTE}" }`, {}, "tenant"],
  [`{ users(limit: 1) { pagination { total } } } ${NOTE}`, {}, "tenant"],
];

describe("a rejected value is never echoed", () => {
  it("REST: wrong types, nulls, out-of-range values, bad scalars, path and query parameters", async () => {
    for (const [method, path, body] of REST_CASES) {
      const url = path.replace(":user", m.userId).replace(":action", actionId);
      const res: HttpResult = await h.req(method, url, { ...(url.startsWith("/v1/users?") ? { key: t.key } : { token: m.token }), body });
      expect({ url, status: res.status >= 400 && res.status < 500 }).toEqual({ url, status: true });
      expectNoEcho(`${method} ${path} ${JSON.stringify(body)}`, res.text);
    }
  });

  it("/graphql and graphql-ws: variables, inline literals, defaults and syntax errors", async () => {
    for (const [query, variables, who] of graphqlCases()) {
      const cred = who === "member" ? { token: m.token } : { key: t.key };
      const http = await h.gql(query, variables, cred);
      expect({ query, errors: Array.isArray(http.body?.errors), notServerError: http.status < 500 }).toEqual({ query, errors: true, notServerError: true });
      expectNoEcho(`/graphql ${query}`, http.text);
      const ws = await overWs(query, variables, who === "member" ? { authorization: `Bearer ${m.token}` } : { "taih-tenant-key": t.key });
      expect({ query, errors: Array.isArray((ws as { errors?: unknown })?.errors) }).toEqual({ query, errors: true });
      expectNoEcho(`graphql-ws ${query}`, JSON.stringify(ws));
    }
  });

  it("the logs carry one line per operation and no value", async () => {
    const before = lines.length;
    await overWs(USERS, { limit: NOTE }, { "taih-tenant-key": t.key });
    const ws = lines
      .slice(before)
      .map((l) => JSON.parse(l))
      .filter((l) => l.msg === "ws operation");
    expect(ws).toEqual([
      expect.objectContaining({
        transport: "graphql-ws",
        kind: "query",
        outcome: "validation_error",
        org_id: t.orgId,
        request_id: expect.any(String),
        connection_id: expect.any(String),
      }),
    ]);
    expectNoEcho("logs", lines.join("\n"));
  });
});
