import { DateTime } from "luxon";
import crypto from "node:crypto";
import { OrgEnvironment } from "../../entities/partners/org.entity";
import { EventRecord } from "../../entities/event-stream/event.entity";
import { expectError, startHarness, waitFor, type Harness, type TestMember, type TestTenant } from "../helpers/harness";
import { subscribe } from "../helpers/ws-client";

let h: Harness;
beforeAll(async () => (h = await startHarness()));
afterAll(() => h.stop());

const fire = (t: TestTenant, m: { userId: string }, trigger: string) =>
  h.req("POST", `/v1/admin/sandbox/users/${m.userId}/nudges`, { key: t.key, body: { trigger_name: trigger } });

async function card(t: TestTenant, m: TestMember, trigger = "morning_report"): Promise<string> {
  const res = await fire(t, m, trigger);
  expect(res.status).toBe(201);
  return res.body.data.target.id as string;
}

const eventsOf = (orgId: string) => h.em().find(EventRecord, { org: orgId, eventType: "coach.nudge.created" }, { orderBy: { occurredAt: "asc", id: "asc" } });

describe("sandbox nudge trigger", () => {
  it("fires the named detector now: a card with the documented shape, one coach.nudge.created event (basic)", async () => {
    const t = await h.tenant();
    const m = await t.member({ timezone: "America/New_York" });
    await h.req("POST", `/v1/users/${m.userId}/metrics/activity/summary`, {
      token: m.token,
      body: { data: [{ client_id: "a1", date: DateTime.now().setZone("America/New_York").minus({ days: 1 }).toISODate(), steps: 8421 }] },
    });
    const res = await fire(t, m, "morning_report");
    expect(res.status).toBe(201);
    expect(res.body.data).toEqual({
      trigger_name: "morning_report",
      target: { type: "card", id: expect.any(String) },
      event_id: expect.any(String),
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    });
    const got = await h.req("GET", `/v1/users/${m.userId}/cards/${res.body.data.target.id}`, { token: m.token });
    expect(got.status).toBe(200);
    expect(got.body.data).toEqual({
      card_item_id: res.body.data.target.id,
      item_header: expect.any(String),
      item_body: { main: expect.any(String), description: expect.any(String), header: expect.any(String) },
      supported_actions: { action_keys: [] },
      item_preprocessing: { audio_summary_url: null, audio_duration: null, audio_script: expect.any(String) },
      item_created_at: res.body.data.created_at,
      interaction_status: "pending",
      trigger_name: "morning_report",
      created_at: res.body.data.created_at,
      updated_at: res.body.data.created_at,
    });
    // The card's words come from the member's own numbers.
    expect(`${got.body.data.item_body.main} ${got.body.data.item_body.description}`).toContain("8,421");
    const events = await eventsOf(t.orgId);
    expect(events).toHaveLength(1);
    expect(events[0].id).toBe(res.body.data.event_id);
    expect(JSON.parse(events[0].body)).toEqual({
      user_id: m.userId,
      trigger_name: "morning_report",
      delivery: "basic",
      target: { type: "card", id: res.body.data.target.id },
    });
  });

  it("inlines the card as `data` for orgs on the full delivery contract", async () => {
    const t = await h.tenant();
    expect((await h.req("PATCH", "/v1/admin/org", { key: t.key, body: { nudge_delivery: "full" } })).status).toBe(200);
    const m = await t.member();
    const id = await card(t, m, "daily_content_recommendation");
    const [ev] = await eventsOf(t.orgId);
    const body = JSON.parse(ev.body);
    expect(body.delivery).toBe("full");
    const got = await h.req("GET", `/v1/users/${m.userId}/cards/${id}`, { token: m.token });
    expect(body.data).toEqual(got.body.data);
  });

  it("action_reminder targets the member's pending health action (no card) and needs one", async () => {
    const t = await h.tenant();
    await h.req("PATCH", "/v1/admin/org", { key: t.key, body: { nudge_delivery: "full" } });
    const m = await t.member();
    expectError(await fire(t, m, "action_reminder"), 409, "conflict");
    const scheduled = new Date(Date.now() + 45 * 60_000).toISOString().slice(0, 19) + "Z";
    const created = await h.req("POST", `/v1/users/${m.userId}/health-actions`, { token: m.token, body: { title: "Evening walk", scheduled_at: scheduled } });
    expect(created.status).toBe(201);
    const res = await fire(t, m, "action_reminder");
    expect(res.status).toBe(201);
    expect(res.body.data.target).toEqual({ type: "health_action", id: created.body.data.health_action_id });
    const cards = await h.req("GET", `/v1/users/${m.userId}/cards`, { token: m.token });
    expect(cards.body.data).toEqual([]);
    const [ev] = await eventsOf(t.orgId);
    const action = await h.req("GET", `/v1/users/${m.userId}/health-actions/${created.body.data.health_action_id}`, { token: m.token });
    expect(JSON.parse(ev.body).data).toEqual(action.body.data);
  });

  it("missed_first_action cards name the overdue action and offer to complete it", async () => {
    const t = await h.tenant();
    const m = await t.member();
    const due = new Date(Date.now() - 90 * 60_000).toISOString().slice(0, 19) + "Z";
    const created = await h.req("POST", `/v1/users/${m.userId}/health-actions`, { token: m.token, body: { title: "Morning stretch", scheduled_at: due } });
    expect(created.status).toBe(201);
    const id = await card(t, m, "missed_first_action");
    const got = (await h.req("GET", `/v1/users/${m.userId}/cards/${id}`, { token: m.token })).body.data;
    expect(got.supported_actions).toEqual({ action_keys: ["mark_health_action_as_completed"] });
    expect(got.item_body.main).toMatch(/^"Morning stretch" was planned (89|90|91) minutes ago/);
  });

  it("is refused for production orgs (403), unknown triggers (422), other partners' members (404) and opted-out members (409)", async () => {
    const prod = await h.tenant(OrgEnvironment.production);
    const pm = await prod.member();
    const denied = await fire(prod, pm, "morning_report");
    expectError(denied, 403, "forbidden");
    expect(denied.body.error.message).toMatch(/sandbox/);

    const t = await h.tenant();
    const m = await t.member();
    const bad = await fire(t, m, "not_a_detector");
    expectError(bad, 422, "validation_error");
    expect(bad.body.error.details).toEqual([expect.objectContaining({ field: "trigger_name", code: "invalid_value" })]);
    expectError(await h.req("POST", `/v1/admin/sandbox/users/${m.userId}/nudges`, { key: t.key, body: {} }), 422, "validation_error");

    const other = await h.tenant();
    expectError(await fire(other, m, "morning_report"), 404, "not_found");
    expectError(await fire(t, { userId: crypto.randomUUID() }, "morning_report"), 404, "not_found");
    expectError(await h.req("POST", `/v1/admin/sandbox/users/${m.userId}/nudges`, { token: m.token, body: { trigger_name: "morning_report" } }), 401, "unauthorized");

    expect((await h.req("PATCH", `/v1/users/${m.userId}/privacy-settings`, { token: m.token, body: { nudges_enabled: false } })).status).toBe(204);
    const optedOut = await fire(t, m, "morning_report");
    expectError(optedOut, 409, "conflict");
    expect(await eventsOf(t.orgId)).toHaveLength(0);
    expect(await eventsOf(prod.orgId)).toHaveLength(0);
  });

  it("streams the nudge to nudgeCreated subscribers within a second of the commit", async () => {
    const t = await h.tenant();
    const m = await t.member();
    const sub = subscribe(h.baseUrl, { authorization: `Bearer ${m.token}` }, "subscription { nudgeCreated { eventId userId triggerName targetType targetId } }");
    const org = subscribe(h.baseUrl, { "taih-tenant-key": t.key }, "subscription { nudgeCreated { eventId userId triggerName } }");
    await Promise.all([sub.ready(), org.ready()]);
    // graphql-ws has no subscribe acknowledgement: warm up until both streams have seen a nudge.
    await waitFor(async () => ((await fire(t, m, "morning_report")).status === 201 && sub.received.length > 0 && org.received.length > 0 ? true : undefined), {
      intervalMs: 100,
    });
    const before = sub.received.length;
    const started = Date.now();
    const res = await fire(t, m, "bedtime_drift");
    const got = await waitFor(async () => sub.received.slice(before).find((r: any) => r.data?.nudgeCreated?.eventId === res.body.data.event_id), {
      timeoutMs: 5000,
      intervalMs: 10,
    });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(got.data.nudgeCreated).toEqual({
      eventId: res.body.data.event_id,
      userId: m.userId,
      triggerName: "bedtime_drift",
      targetType: "card",
      targetId: res.body.data.target.id,
    });
    await waitFor(async () => (org.received.some((r: any) => r.data?.nudgeCreated?.eventId === res.body.data.event_id) ? true : undefined));
    await sub.close();
    await org.close();
  });
});

describe("cards", () => {
  it("lists newest first with interaction_status filter and pagination; cross-member and cross-partner reads are 404", async () => {
    const t = await h.tenant();
    const m = await t.member();
    const ids: string[] = [];
    for (const trigger of ["morning_report", "jet_lag", "bounce_back"]) ids.push(await card(t, m, trigger));
    const all = await h.req("GET", `/v1/users/${m.userId}/cards?limit=2`, { token: m.token });
    expect(all.status).toBe(200);
    expect(all.body.pagination).toEqual({ limit: 2, offset: 0, total: 3 });
    expect(all.body.data.map((c: any) => c.trigger_name)).toEqual(["bounce_back", "jet_lag"]);
    const next = await h.req("GET", `/v1/users/${m.userId}/cards?limit=2&offset=2`, { token: m.token });
    expect(next.body.data.map((c: any) => c.card_item_id)).toEqual([ids[0]]);

    expect((await h.req("PATCH", `/v1/users/${m.userId}/cards/${ids[1]}`, { token: m.token, body: { interaction_status: "opened" } })).status).toBe(204);
    const opened = await h.req("GET", `/v1/users/${m.userId}/cards?interaction_status=opened`, { token: m.token });
    expect(opened.body.data.map((c: any) => c.card_item_id)).toEqual([ids[1]]);
    expect(opened.body.pagination.total).toBe(1);
    expectError(await h.req("GET", `/v1/users/${m.userId}/cards?interaction_status=archived`, { token: m.token }), 422, "validation_error");
    expectError(await h.req("GET", `/v1/users/${m.userId}/cards?limit=101`, { token: m.token }), 422, "validation_error");

    const other = await t.member();
    expectError(await h.req("GET", `/v1/users/${other.userId}/cards/${ids[0]}`, { token: other.token }), 404, "not_found");
    expectError(await h.req("GET", `/v1/users/${m.userId}/cards/${ids[0]}`, { token: other.token }), 404, "not_found");
    expectError(await h.req("PATCH", `/v1/users/${other.userId}/cards/${ids[0]}`, { token: other.token, body: { interaction_status: "opened" } }), 404, "not_found");
    const stranger = await (await h.tenant()).member();
    expectError(await h.req("GET", `/v1/users/${m.userId}/cards`, { token: stranger.token }), 404, "not_found");
    expectError(await h.req("GET", `/v1/users/${m.userId}/cards/${crypto.randomUUID()}`, { token: m.token }), 404, "not_found");
  });

  it("PATCH allows exactly the documented transitions; same status is a no-op 204; anything else is 422 invalid_transition", async () => {
    const t = await h.tenant();
    const m = await t.member();
    const statuses = ["pending", "opened", "completed", "dismissed"] as const;
    const allowed = new Set(["pending>opened", "opened>completed", "opened>dismissed", "pending>dismissed"]);
    // Reach each starting status through allowed steps, then try every target.
    const path: Record<string, string[]> = { pending: [], opened: ["opened"], completed: ["opened", "completed"], dismissed: ["dismissed"] };
    for (const from of statuses) {
      for (const to of statuses) {
        const id = await card(t, m);
        for (const step of path[from]) {
          expect((await h.req("PATCH", `/v1/users/${m.userId}/cards/${id}`, { token: m.token, body: { interaction_status: step } })).status).toBe(204);
        }
        const res = await h.req("PATCH", `/v1/users/${m.userId}/cards/${id}`, { token: m.token, body: { interaction_status: to } });
        const after = (await h.req("GET", `/v1/users/${m.userId}/cards/${id}`, { token: m.token })).body.data;
        if (from === to || allowed.has(`${from}>${to}`)) {
          expect([from, to, res.status]).toEqual([from, to, 204]);
          expect(after.interaction_status).toBe(to);
        } else {
          expectError(res, 422, "invalid_transition");
          expect(after.interaction_status).toBe(from);
        }
      }
    }
  });

  it("PATCH validates the body", async () => {
    const t = await h.tenant();
    const m = await t.member();
    const id = await card(t, m);
    const url = `/v1/users/${m.userId}/cards/${id}`;
    const missing = await h.req("PATCH", url, { token: m.token, body: {} });
    expectError(missing, 422, "validation_error");
    expect(missing.body.error.details).toEqual([expect.objectContaining({ field: "interaction_status", code: "required" })]);
    expectError(await h.req("PATCH", url, { token: m.token, body: { interaction_status: "archived" } }), 422, "validation_error");
    expectError(await h.req("PATCH", url, { token: m.token, body: { interaction_status: "opened", extra: 1 } }), 422, "validation_error");
  });

  it("serves the same cards over GraphQL", async () => {
    const t = await h.tenant();
    const m = await t.member();
    const id = await card(t, m, "sleep_recovery");
    const res = await h.gql(
      `query($u: UUID!, $c: UUID!) { cards(userId: $u) { items { cardItemId triggerName interactionStatus } pagination { total } } card(userId: $u, cardItemId: $c) { itemBody { header } } }`,
      { u: m.userId, c: id },
      { token: m.token },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.cards).toEqual({ items: [{ cardItemId: id, triggerName: "sleep_recovery", interactionStatus: "pending" }], pagination: { total: 1 } });
    const upd = await h.gql(
      `mutation($u: UUID!, $c: UUID!) { updateCard(userId: $u, cardItemId: $c, input: { interactionStatus: completed }) { cardItemId } }`,
      { u: m.userId, c: id },
      { token: m.token },
    );
    expect(upd.body.errors[0].extensions.code).toBe("invalid_transition");
  });
});

describe("contract audit regressions", () => {
  it("describes the interaction_status filter in the OpenAPI document", async () => {
    const doc = (await h.req("GET", "/v1/openapi.json")).body;
    const param = doc.paths["/v1/users/{user_id}/cards"].get.parameters.find((p: { name?: string }) => p.name === "interaction_status");
    expect(param).toMatchObject({ in: "query", required: false, description: expect.stringMatching(/interaction status/) });
    expect(param.schema.enum).toEqual(["pending", "opened", "completed", "dismissed"]);
  });
});
