import crypto from "node:crypto";
import { HealthAction } from "../../entities/health-actions/health-action.entity";
import { healthActionToWire } from "../../resolvers/health-actions";
import { expectError, startHarness, type Harness, type TestMember } from "../helpers/harness";

let h: Harness;
beforeAll(async () => (h = await startHarness()));
afterAll(() => h.stop());

const base = (m: TestMember) => `/v1/users/${m.userId}/health-actions`;
const create = (m: TestMember, body: Record<string, unknown>) => h.req("POST", base(m), { token: m.token, body });
const list = (m: TestMember, q = "") => h.req("GET", `${base(m)}${q ? `?${q}` : ""}`, { token: m.token });
const get = (m: TestMember, id: string) => h.req("GET", `${base(m)}/${id}`, { token: m.token });
const patch = (m: TestMember, id: string, body: Record<string, unknown>) => h.req("PATCH", `${base(m)}/${id}`, { token: m.token, body });

async function member(profile?: Record<string, unknown>) {
  return (await h.tenant()).member(profile);
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

describe("health actions: create and read", () => {
  it("creates a partner-authored action (201, pending, source partner) with the documented shape", async () => {
    const m = await member();
    const res = await create(m, {
      title: "  Evening walk ",
      description: "20 minutes around the block",
      scheduled_at: "2030-03-16T18:00:00+01:00",
      execution_options: { duration_minutes: 20, reminder: { channel: "push" } },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      data: {
        health_action_id: expect.any(String),
        title: "Evening walk",
        description: "20 minutes around the block",
        status: "pending",
        scheduled_at: "2030-03-16T17:00:00Z",
        execution_options: { duration_minutes: 20, reminder: { channel: "push" } },
        source: "partner",
        created_at: expect.stringMatching(INSTANT),
        updated_at: expect.stringMatching(INSTANT),
      },
    });
    const got = await get(m, res.body.data.health_action_id);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);
  });

  it("healthActionToWire renders exactly what GET returns (the nudge engine's inline `full` data)", async () => {
    const m = await member();
    const created = await create(m, { title: "Stretch", scheduled_at: "2030-01-02T07:15:00Z" });
    const entity = await h.em().findOneOrFail(HealthAction, { id: created.body.data.health_action_id });
    expect(healthActionToWire(entity)).toEqual((await get(m, entity.id)).body.data);
    expect(created.body.data).toMatchObject({ description: null, execution_options: {} });
  });

  it("rejects invalid bodies with 422 and one detail per field", async () => {
    const m = await member();
    const cases: [Record<string, unknown>, { field: string; code: string }][] = [
      [{ scheduled_at: "2030-01-01T08:00:00Z" }, { field: "title", code: "required" }],
      [
        { title: "x".repeat(201), scheduled_at: "2030-01-01T08:00:00Z" },
        { field: "title", code: "too_long" },
      ],
      [
        { title: "   ", scheduled_at: "2030-01-01T08:00:00Z" },
        { field: "title", code: "too_short" },
      ],
      [
        { title: "Walk", description: "d".repeat(2001), scheduled_at: "2030-01-01T08:00:00Z" },
        { field: "description", code: "too_long" },
      ],
      [{ title: "Walk" }, { field: "scheduled_at", code: "required" }],
      [
        { title: "Walk", scheduled_at: "tomorrow" },
        { field: "scheduled_at", code: "invalid_value" },
      ],
      [
        { title: "Walk", scheduled_at: "2030-01-01T08:00:00" },
        { field: "scheduled_at", code: "invalid_value" },
      ],
      [
        { title: "Walk", scheduled_at: "2030-01-01T08:00:00Z", execution_options: [1, 2] },
        { field: "execution_options", code: "invalid_value" },
      ],
      [
        { title: "Walk", scheduled_at: "2030-01-01T08:00:00Z", status: "completed" },
        { field: "status", code: "unknown_field" },
      ],
    ];
    for (const [body, detail] of cases) {
      const res = await create(m, body);
      expectError(res, 422, "validation_error");
      expect(res.body.error.details).toEqual([expect.objectContaining(detail)]);
    }
    expect((await list(m)).body.pagination.total).toBe(0);
  });

  it("keeps a description of exactly 2,000 characters and a title of exactly 200", async () => {
    const m = await member();
    const res = await create(m, { title: "t".repeat(200), description: "d".repeat(2000), scheduled_at: "2030-01-01T08:00:00Z" });
    expect(res.status).toBe(201);
  });
});

describe("health actions: list", () => {
  async function seeded() {
    const m = await member({ timezone: "America/New_York" });
    const ids: Record<string, string> = {};
    // 03:30Z on the 5th is 23:30 on the 4th in New York.
    for (const [key, at] of [
      ["late4", "2030-05-05T03:30:00Z"],
      ["early5", "2030-05-05T04:30:00Z"],
      ["mid3", "2030-05-03T16:00:00Z"],
      ["day6", "2030-05-06T12:00:00Z"],
    ]) {
      ids[key] = (await create(m, { title: key, scheduled_at: at })).body.data.health_action_id;
    }
    return { m, ids };
  }

  it("sorts by scheduled_at ascending by default, with pagination", async () => {
    const { m } = await seeded();
    const res = await list(m);
    expect(res.status).toBe(200);
    expect(res.body.data.map((a: { title: string }) => a.title)).toEqual(["mid3", "late4", "early5", "day6"]);
    expect(res.body.pagination).toEqual({ limit: 25, offset: 0, total: 4 });
    const page = await list(m, "limit=2&offset=1");
    expect(page.body.data.map((a: { title: string }) => a.title)).toEqual(["late4", "early5"]);
    expect(page.body.pagination).toEqual({ limit: 2, offset: 1, total: 4 });
    const desc = await list(m, "sort_order=desc");
    expect(desc.body.data.map((a: { title: string }) => a.title)).toEqual(["day6", "early5", "late4", "mid3"]);
    const byCreated = await list(m, "sort_by=created_at&sort_order=asc");
    expect(byCreated.body.data.map((a: { title: string }) => a.title)).toEqual(["late4", "early5", "mid3", "day6"]);
  });

  it("applies start_date/end_date as inclusive local dates in the member's zone", async () => {
    const { m } = await seeded();
    const titles = async (q: string) => (await list(m, q)).body.data.map((a: { title: string }) => a.title);
    expect(await titles("start_date=2030-05-04&end_date=2030-05-04")).toEqual(["late4"]);
    expect(await titles("start_date=2030-05-05")).toEqual(["early5", "day6"]);
    expect(await titles("end_date=2030-05-04")).toEqual(["mid3", "late4"]);
    expect(await titles("start_date=2030-05-03&end_date=2030-05-06")).toHaveLength(4);
  });

  it("filters by status", async () => {
    const { m, ids } = await seeded();
    expect((await patch(m, ids.mid3, { status: "missed" })).status).toBe(204);
    expect((await patch(m, ids.day6, { status: "completed" })).status).toBe(204);
    const missed = await list(m, "status=missed");
    expect(missed.body.data.map((a: { title: string; status: string }) => [a.title, a.status])).toEqual([["mid3", "missed"]]);
    expect((await list(m, "status=pending")).body.pagination.total).toBe(2);
  });

  it("rejects bad filters with 422 and unknown parameters with 400", async () => {
    const m = await member();
    for (const [q, field] of [
      ["start_date=2030-5-4", "start_date"],
      ["end_date=2030-02-30", "end_date"],
      ["start_date=2030-05-04T00:00:00Z", "start_date"],
      ["status=done", "status"],
      ["sort_by=title", "sort_by"],
      ["sort_order=up", "sort_order"],
      ["limit=0", "limit"],
      ["limit=101", "limit"],
      ["offset=-1", "offset"],
      ["start_date=2030-05-05&end_date=2030-05-04", "end_date"],
    ] as const) {
      const res = await list(m, q);
      expectError(res, 422, "validation_error");
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual([field]);
    }
    expectError(await list(m, "page=2"), 400, "invalid_request");
  });

  it("lists with a constant number of SQL statements", async () => {
    const statements: string[] = [];
    const counted = await startHarness({ onQuery: (sql: string) => statements.push(sql) });
    try {
      const m = await (await counted.tenant()).member();
      const add = (n: number) =>
        Promise.all(
          Array.from({ length: n }, (_, i) => counted.req("POST", base(m), { token: m.token, body: { title: `a${i}`, scheduled_at: "2030-01-01T08:00:00Z" } })),
        );
      const measure = async () => {
        statements.length = 0;
        const res = await counted.req("GET", `${base(m)}?limit=100`, { token: m.token });
        expect(res.status).toBe(200);
        return { rows: res.body.data.length, sql: statements.length };
      };
      await add(2);
      const small = await measure();
      await add(10);
      const large = await measure();
      expect(large.rows).toBe(small.rows + 10);
      expect(large.sql).toBe(small.sql);
    } finally {
      await counted.stop();
    }
  });
});

describe("health actions: update and delete", () => {
  const gqlAction = (m: TestMember, id: string) =>
    h.gql("query($u: UUID!, $a: UUID!) { healthAction(userId: $u, healthActionId: $a) { status completedAt updatedAt } }", { u: m.userId, a: id }, { token: m.token });

  it("applies the documented status transitions; completing sets completed_at", async () => {
    const m = await member();
    const make = async () => (await create(m, { title: "Walk", scheduled_at: "2030-01-01T08:00:00Z" })).body.data.health_action_id as string;
    for (const to of ["completed", "skipped", "missed", "cancelled"]) {
      const id = await make();
      const res = await patch(m, id, { status: to });
      expect(res.status).toBe(204);
      expect(res.text).toBe("");
      expect((await get(m, id)).body.data.status).toBe(to);
    }
    const id = await make();
    expect((await gqlAction(m, id)).body.data.healthAction.completedAt).toBeNull();
    await patch(m, id, { status: "completed" });
    const done = (await gqlAction(m, id)).body.data.healthAction;
    expect(done.completedAt).toMatch(INSTANT);
    for (const to of ["pending", "skipped", "missed", "cancelled"]) {
      const res = await patch(m, id, { status: to });
      expectError(res, 422, "invalid_transition");
    }
    expect((await get(m, id)).body.data.status).toBe("completed");
  });

  it("allows a late completion of a missed action and nothing else from missed", async () => {
    const m = await member();
    const id = (await create(m, { title: "Walk", scheduled_at: "2030-01-01T08:00:00Z" })).body.data.health_action_id;
    await patch(m, id, { status: "missed" });
    for (const to of ["pending", "skipped", "cancelled"]) expectError(await patch(m, id, { status: to }), 422, "invalid_transition");
    expect((await patch(m, id, { status: "completed" })).status).toBe(204);
    expect((await gqlAction(m, id)).body.data.healthAction).toMatchObject({ status: "completed", completedAt: expect.stringMatching(INSTANT) });
    const skipped = (await create(m, { title: "Walk", scheduled_at: "2030-01-01T08:00:00Z" })).body.data.health_action_id;
    await patch(m, skipped, { status: "skipped" });
    expectError(await patch(m, skipped, { status: "completed" }), 422, "invalid_transition");
  });

  it("treats the same status as a no-op that changes nothing", async () => {
    const m = await member();
    const created = (await create(m, { title: "Walk", scheduled_at: "2030-01-01T08:00:00Z" })).body.data;
    expect((await patch(m, created.health_action_id, { status: "pending" })).status).toBe(204);
    expect((await get(m, created.health_action_id)).body.data).toEqual(created);
    await patch(m, created.health_action_id, { status: "cancelled" });
    expect((await patch(m, created.health_action_id, { status: "cancelled" })).status).toBe(204);
  });

  it("updates title, description and scheduled_at partially; description may be cleared, other fields may not be null", async () => {
    const m = await member();
    const id = (await create(m, { title: "Walk", description: "Short", scheduled_at: "2030-01-01T08:00:00Z" })).body.data.health_action_id;
    expect((await patch(m, id, { title: " Long walk ", scheduled_at: "2030-01-02T09:30:00+02:00" })).status).toBe(204);
    expect((await get(m, id)).body.data).toMatchObject({ title: "Long walk", description: "Short", scheduled_at: "2030-01-02T07:30:00Z", status: "pending" });
    expect((await patch(m, id, { description: null })).status).toBe(204);
    expect((await get(m, id)).body.data.description).toBeNull();
    for (const field of ["title", "status", "scheduled_at"]) {
      const res = await patch(m, id, { [field]: null });
      expectError(res, 422, "validation_error");
      expect(res.body.error.details).toEqual([expect.objectContaining({ field, code: "required" })]);
    }
    const bad = await patch(m, id, { title: "", status: "done", execution_options: {} });
    expectError(bad, 422, "validation_error");
    expect(bad.body.error.details.map((d: { field: string; code: string }) => `${d.field}:${d.code}`).sort()).toEqual([
      "execution_options:unknown_field",
      "status:invalid_value",
    ]);
    expectError(await patch(m, id, { title: "" }), 422, "validation_error");
  });

  it("deletes with 204; afterwards the action is 404 everywhere", async () => {
    const m = await member();
    const id = (await create(m, { title: "Walk", scheduled_at: "2030-01-01T08:00:00Z" })).body.data.health_action_id;
    const del = await h.req("DELETE", `${base(m)}/${id}`, { token: m.token });
    expect(del.status).toBe(204);
    expect(del.text).toBe("");
    expectError(await get(m, id), 404, "not_found");
    expectError(await patch(m, id, { status: "completed" }), 404, "not_found");
    expectError(await h.req("DELETE", `${base(m)}/${id}`, { token: m.token }), 404, "not_found");
  });
});

describe("health actions: isolation and GraphQL", () => {
  it("returns 404 for another member's actions and another partner's member", async () => {
    const t = await h.tenant();
    const a = await t.member();
    const b = await t.member();
    const id = (await create(a, { title: "Mine", scheduled_at: "2030-01-01T08:00:00Z" })).body.data.health_action_id;
    // b reaching a's path, and b's own path with a's action id
    expectError(await h.req("GET", `${base(a)}`, { token: b.token }), 404, "not_found");
    expectError(await h.req("GET", `${base(a)}/${id}`, { token: b.token }), 404, "not_found");
    expectError(await h.req("POST", base(a), { token: b.token, body: { title: "x", scheduled_at: "2030-01-01T08:00:00Z" } }), 404, "not_found");
    expectError(await get(b, id), 404, "not_found");
    expectError(await patch(b, id, { status: "completed" }), 404, "not_found");
    expectError(await h.req("DELETE", `${base(b)}/${id}`, { token: b.token }), 404, "not_found");
    expectError(await get(a, crypto.randomUUID()), 404, "not_found");
    expect((await get(a, id)).body.data.status).toBe("pending");
    const other = await h.tenant();
    const viaOther = await h.gql("query($u: UUID!) { healthActions(userId: $u) { pagination { total } } }", { u: a.userId }, { key: other.key });
    expect(viaOther.body.errors[0].extensions.code).toBe("not_found");
  });

  it("serves the same actions over GraphQL, with the tenant key too", async () => {
    const t = await h.tenant();
    const m = await t.member({ timezone: "Asia/Tokyo" });
    const created = await h.gql(
      "mutation($u: UUID!, $i: CreateHealthActionInput!) { createHealthAction(userId: $u, input: $i) { healthActionId status source isFocus category executionOptions } }",
      { u: m.userId, i: { title: "Drink water", scheduledAt: "2030-04-01T00:30:00Z", executionOptions: { glasses: 2 } } },
      { key: t.key },
    );
    expect(created.body.data.createHealthAction).toEqual({
      healthActionId: expect.any(String),
      status: "pending",
      source: "partner",
      isFocus: false,
      category: null,
      executionOptions: { glasses: 2 },
    });
    const id = created.body.data.createHealthAction.healthActionId;
    const updated = await h.gql(
      "mutation($u: UUID!, $a: UUID!, $i: UpdateHealthActionInput!) { updateHealthAction(userId: $u, healthActionId: $a, input: $i) { status completedAt } }",
      { u: m.userId, a: id, i: { status: "completed" } },
      { token: m.token },
    );
    expect(updated.body.data.updateHealthAction).toEqual({ status: "completed", completedAt: expect.stringMatching(INSTANT) });
    const invalid = await h.gql(
      "mutation($u: UUID!, $a: UUID!) { updateHealthAction(userId: $u, healthActionId: $a, input: { status: pending }) { status } }",
      { u: m.userId, a: id },
      { token: m.token },
    );
    expect(invalid.body.errors[0].extensions.code).toBe("invalid_transition");
    const listed = await h.gql(
      'query($u: UUID!) { healthActions(userId: $u, startDate: "2030-04-01", endDate: "2030-04-01", status: completed) { items { healthActionId } pagination { total } } }',
      { u: m.userId },
      { token: m.token },
    );
    expect(listed.body.data.healthActions).toEqual({ items: [{ healthActionId: id }], pagination: { total: 1 } });
    const deleted = await h.gql("mutation($u: UUID!, $a: UUID!) { deleteHealthAction(userId: $u, healthActionId: $a) }", { u: m.userId, a: id }, { token: m.token });
    expect(deleted.body.data.deleteHealthAction).toBe(true);
  });
});

describe("health actions: contract audit regressions", () => {
  it("rejects a scheduled_at outside years 0001–9999 UTC with 422 out_of_range (was 500, or a malformed +010000 instant)", async () => {
    const m = await member();
    for (const at of ["0000-01-01T00:00:00Z", "0001-01-01T00:00:00+05:00", "9999-12-31T23:00:00-05:00"]) {
      const res = await create(m, { title: "x", scheduled_at: at });
      expectError(res, 422, "validation_error");
      expect(res.body.error.details).toEqual([{ field: "scheduled_at", code: "out_of_range", message: expect.any(String) }]);
    }
    const edge = await create(m, { title: "x", scheduled_at: "9999-12-31T23:59:59Z" });
    expect(edge.status).toBe(201);
    expect(edge.body.data.scheduled_at).toBe("9999-12-31T23:59:59Z");
    const moved = await patch(m, edge.body.data.health_action_id, { scheduled_at: "0000-06-01T00:00:00Z" });
    expectError(moved, 422, "validation_error");
    expect(moved.body.error.details).toEqual([expect.objectContaining({ field: "scheduled_at", code: "out_of_range" })]);
  });

  it("filters windows at the edges of the calendar instead of failing (was 500)", async () => {
    const m = await member({ timezone: "Pacific/Kiritimati" });
    const far = (await create(m, { title: "far", scheduled_at: "9999-12-31T23:59:59Z" })).body.data.health_action_id;
    // Year 0 does not exist in PostgreSQL: the LocalDate scalar refuses it everywhere (as for check-ins).
    for (const [q, field] of [
      ["start_date=0000-01-01&end_date=0000-01-05", "start_date"],
      ["end_date=0000-01-01", "end_date"],
    ]) {
      const res = await list(m, q);
      expectError(res, 422, "validation_error");
      expect(res.body.error.details).toEqual(expect.arrayContaining([{ field, code: "out_of_range", message: "must not be before 0001-01-01" }]));
    }
    // 0001-01-01 in Kiritimati starts before year 1 in UTC: the window is clamped, not a 500.
    const first = await list(m, "start_date=0001-01-01&end_date=0001-01-01");
    expect([first.status, first.body]).toEqual([200, { data: [], pagination: { limit: 25, offset: 0, total: 0 } }]);
    const tail = await list(m, "start_date=9999-12-31&end_date=9999-12-31");
    expect(tail.status).toBe(200);
    // 9999-12-31T23:59:59Z is already 10000-01-01 in Kiritimati (UTC+14): outside the window.
    expect(tail.body.pagination.total).toBe(0);
    expect((await list(m, "start_date=9999-12-30")).body.data.map((a: { health_action_id: string }) => a.health_action_id)).toEqual([far]);
  });

  it("rejects text containing NUL (U+0000) with 422 invalid_value (was 500)", async () => {
    const m = await member();
    const cases: [Record<string, unknown>, string][] = [
      [{ title: "a\u0000b" }, "title"],
      [{ description: "a\u0000b" }, "description"],
      [{ execution_options: { note: ["ok", "a\u0000b"] } }, "execution_options.note.1"],
      [{ execution_options: { "k\u0000": 1 } }, "execution_options.k"],
    ];
    for (const [extra, field] of cases) {
      const res = await create(m, { title: "ok", scheduled_at: "2030-01-01T08:00:00Z", ...extra });
      expectError(res, 422, "validation_error");
      expect(res.body.error.details).toEqual([expect.objectContaining({ field, code: "invalid_value" })]);
    }
    const id = (await create(m, { title: "ok", scheduled_at: "2030-01-01T08:00:00Z" })).body.data.health_action_id;
    for (const body of [{ title: "a\u0000" }, { description: "\u0000" }]) {
      const res = await patch(m, id, body);
      expectError(res, 422, "validation_error");
      expect(res.body.error.details[0].code).toBe("invalid_value");
    }
    expect((await list(m)).body.pagination.total).toBe(1);
  });

  it("documents the body limits and sort_by in the OpenAPI document", async () => {
    const doc = (await h.req("GET", "/v1/openapi.json")).body;
    const route = doc.paths["/v1/users/{user_id}/health-actions/{health_action_id}"].patch;
    const props = route.requestBody.content["application/json"].schema.properties;
    expect(props.title.description).toBe("1–200 characters (trimmed).");
    expect(props.description.description).toBe("Up to 2,000 characters; null clears it.");
    expect(props.scheduled_at.description).toMatch(/0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z/);
    const sortBy = doc.paths["/v1/users/{user_id}/health-actions"].get.parameters.find((p: { name?: string }) => p.name === "sort_by");
    expect(sortBy).toMatchObject({ description: expect.any(String), schema: { default: "scheduled_at" } });
  });
});
