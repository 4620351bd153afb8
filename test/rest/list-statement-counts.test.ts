import { startHarness, type Harness, type HttpResult, type TestMember, type TestTenant } from "../helpers/harness";
import { startReceiver } from "../helpers/webhook-receiver";

/**
 * Architecture rule (§4): every list endpoint reads a page with a number of SQL statements that
 * does not grow with the number of items. Each test lists a few items, adds more, lists again, and
 * compares the statements the second request issued with the first's.
 */
let h: Harness;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
const statements: string[] = [];

beforeAll(async () => {
  h = await startHarness({ onQuery: (sql: string) => statements.push(sql), env: { EVENT_WEBHOOK_ALLOW_PRIVATE: "true" } });
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
  await h.stop();
});

/** Runs one request alone and returns it with the statements it issued. */
async function counted(send: () => Promise<HttpResult>): Promise<{ res: HttpResult; sql: number }> {
  statements.length = 0;
  const res = await send();
  expect(res.status).toBe(200);
  expect(statements.length).toBeGreaterThan(0);
  return { res, sql: statements.length };
}

const fireNudges = async (t: TestTenant, m: TestMember, n: number) => {
  for (let i = 0; i < n; i++) {
    const res = await h.req("POST", `/v1/admin/sandbox/users/${m.userId}/nudges`, { key: t.key, body: { trigger_name: "morning_report" } });
    expect(res.status).toBe(201);
  }
};

describe("list endpoints issue a constant number of SQL statements", () => {
  it("GET /v1/users/{user_id}/cards: the same statements for 2 and 12 cards", async () => {
    const t = await h.tenant();
    const m = await t.member();
    const list = () => counted(() => h.req("GET", `/v1/users/${m.userId}/cards?limit=100`, { token: m.token }));
    await fireNudges(t, m, 2);
    const small = await list();
    await fireNudges(t, m, 10);
    const large = await list();
    expect([small.res.body.data.length, large.res.body.data.length]).toEqual([2, 12]);
    expect(large.res.body.pagination.total).toBe(12);
    expect(large.sql).toBe(small.sql);
  });

  it("GET /v1/users/{user_id}/priorities: the same statements for 3 and 12 priorities", async () => {
    const t = await h.tenant();
    const m = await t.member();
    const generate = async () => expect((await h.req("POST", `/v1/admin/sandbox/users/${m.userId}/program`, { key: t.key })).status).toBe(201);
    // Each new program outdates the previous program's three priorities.
    const list = () => counted(() => h.req("GET", `/v1/users/${m.userId}/priorities?status=outdated`, { token: m.token }));
    await generate();
    await generate();
    const small = await list();
    for (let i = 0; i < 3; i++) await generate();
    const large = await list();
    expect([small.res.body.data.length, large.res.body.data.length]).toEqual([3, 12]);
    expect(large.sql).toBe(small.sql);
  });

  it("GET /v1/admin/org/queues: the same statements for 1 and 6 queues", async () => {
    const t = await h.tenant();
    const register = async (queue: string) => {
      const res = await h.req("POST", `/v1/admin/org/queues/${queue}`, { key: t.key, body: { type: "https_webhook", https_webhook: { url: receiver.url } } });
      expect(res.status).toBe(201);
    };
    const list = () => counted(() => h.req("GET", "/v1/admin/org/queues", { key: t.key }));
    await register("account");
    const small = await list();
    for (const q of ["coaching", "labs", "device_data", "jobs", "default"]) await register(q);
    const large = await list();
    expect([small.res.body.data.length, large.res.body.data.length]).toEqual([1, 6]);
    expect(large.sql).toBe(small.sql);
  });

  it("GET /v1/admin/org/events (and GraphQL events with deliveryAttempts): the same statements for 2 and 12 events", async () => {
    const t = await h.tenant();
    const m = await t.member();
    const rest = () => counted(() => h.req("GET", "/v1/admin/org/events?limit=100", { key: t.key }));
    const gql = () => counted(() => h.gql("{ events(limit: 100) { items { eventId deliveryAttempts { attemptNo } } pagination { total } } }", {}, { key: t.key }));
    // Each sandbox nudge emits one coach.nudge.created event.
    await fireNudges(t, m, 2);
    const small = { rest: await rest(), gql: await gql() };
    await fireNudges(t, m, 10);
    const large = { rest: await rest(), gql: await gql() };
    const types = (r: HttpResult) => (r.body.data as { event_type: string }[]).filter((e) => e.event_type === "coach.nudge.created").length;
    expect([types(small.rest.res), types(large.rest.res)]).toEqual([2, 12]);
    expect(large.gql.res.body.data.events.items).toHaveLength(large.rest.res.body.data.length);
    expect(large.rest.sql).toBe(small.rest.sql);
    expect(large.gql.sql).toBe(small.gql.sql);
  });
});
