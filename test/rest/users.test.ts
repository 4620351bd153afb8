import crypto from "node:crypto";
import { expectError, startHarness, type Harness } from "../helpers/harness";

let h: Harness;
beforeAll(async () => (h = await startHarness()));
afterAll(() => h.stop());

const count = async (sql: string, params: unknown[]) => Number((await h.em().getConnection().execute<{ n: string }[]>(sql, params))[0].n);

describe("users", () => {
  it("returns 409 conflict for a duplicate user_id", async () => {
    const t = await h.tenant();
    const m = await t.member();
    expectError(await h.req("POST", "/v1/users", { key: t.key, body: { user_id: m.userId } }), 409, "conflict");
  });

  it("accepts the landing page's external_id as an optional field", async () => {
    const t = await h.tenant();
    const res = await h.req("POST", "/v1/users", { key: t.key, body: { user_id: crypto.randomUUID(), external_id: "partner-member-123" } });
    expect(res.status).toBe(201);
  });

  it("rejects a birthday in the future with 422 out_of_range, and accepts today's", async () => {
    const t = await h.tenant();
    const m = await t.member();
    const future = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const res = await h.req("PATCH", `/v1/users/${m.userId}`, { token: m.token, body: { birthday: future } });
    expectError(res, 422, "validation_error");
    expect(res.body.error.details).toEqual([{ field: "birthday", code: "out_of_range", message: "must not be in the future" }]);
    expect(res.text).not.toContain(future);
    const today = new Date().toISOString().slice(0, 10);
    expect((await h.req("PATCH", `/v1/users/${m.userId}`, { token: m.token, body: { birthday: today } })).status).toBe(204);
  });

  it("PATCH updates only the sent fields, null clears one, and GET shows the result", async () => {
    const t = await h.tenant();
    const m = await t.member();
    const patch = await h.req("PATCH", `/v1/users/${m.userId}`, {
      token: m.token,
      body: {
        name: "Grace",
        phone: "+1 555 0100",
        timezone: "America/Los_Angeles",
        birthday: "1990-07-14",
        weight: 61.5,
        weight_unit: "kg",
        height: 170,
        height_unit: "cm",
        preferences: "mornings",
        pre_existing_conditions: [{ condition_name: "asthma" }],
        gender: "female",
        ethnicity: "n/a",
      },
    });
    expect(patch.status).toBe(204);
    expect(patch.text).toBe("");
    expect((await h.req("PATCH", `/v1/users/${m.userId}`, { token: m.token, body: { phone: null, weight: 60 } })).status).toBe(204);
    const cleared = await h.req("PATCH", `/v1/users/${m.userId}`, { token: m.token, body: { name: null } });
    expect(cleared.status).toBe(204);
    expect((await h.req("GET", `/v1/users/${m.userId}`, { token: m.token })).body.data.profile.name).toBeNull();
    await h.req("PATCH", `/v1/users/${m.userId}`, { token: m.token, body: { name: "Grace" } });
    const got = await h.req("GET", `/v1/users/${m.userId}`, { token: m.token });
    expect(got.body.data.profile).toEqual({
      name: "Grace",
      email: null,
      phone: null,
      timezone: "America/Los_Angeles",
      birthday: "1990-07-14",
      weight: 60,
      weight_unit: "kg",
      height: 170,
      height_unit: "cm",
      preferences: "mornings",
      pre_existing_conditions: [{ condition_name: "asthma" }],
      gender: "female",
      ethnicity: "n/a",
    });
  });

  it("DELETE purges every row of the member and the old token stops working", async () => {
    const t = await h.tenant();
    const m = await t.member({ name: "Gone" });
    await h.req("PATCH", `/v1/users/${m.userId}/privacy-settings`, { token: m.token, body: { conversation_recording_opt_in: true } });
    const del = await h.req("DELETE", `/v1/users/${m.userId}`, { token: m.token });
    expect(del.status).toBe(204);
    expect(await count("select count(*) as n from users where partner_user_id = ? and org_id = ?", [m.userId, t.orgId])).toBe(0);
    expect(await count("select count(*) as n from privacy_settings p left join users u on u.id = p.user_id where u.id is null", [])).toBe(0);
    // The token's own member is gone: the token is invalid (401), not the resource missing.
    expectError(await h.req("GET", `/v1/users/${m.userId}`, { token: m.token }), 401, "unauthorized");
    expectError(await h.req("GET", `/v1/users/${m.userId}/health-profile`, { token: m.token }), 401, "unauthorized");
    // Re-registering the same id does not revive a token minted before the deletion.
    const jwt = await import("jsonwebtoken");
    const now = Math.floor(Date.now() / 1000);
    const oldToken = jwt.sign({ sub: m.userId, org_id: t.orgId, scope: "member", iat: now - 60, exp: now + 3000 }, h.app.deps.secretBox.jwtKey, {
      algorithm: "HS256",
      issuer: "thrive-partner-api",
      audience: "thrive-partner-api/member",
    });
    expect((await h.req("POST", "/v1/users", { key: t.key, body: { user_id: m.userId } })).status).toBe(201);
    expectError(await h.req("GET", `/v1/users/${m.userId}`, { token: oldToken }), 401, "unauthorized");
  });

  it("lists members with a constant number of SQL statements", async () => {
    const statements: string[] = [];
    const counted = await startHarness({ onQuery: (sql: string) => statements.push(sql) });
    try {
      const t = await counted.tenant();
      const measure = async () => {
        statements.length = 0;
        const res = await counted.req("GET", "/v1/users?limit=100", { key: t.key });
        expect(res.status).toBe(200);
        return { rows: res.body.data.length, sql: statements.length };
      };
      await t.member();
      await t.member();
      const small = await measure();
      for (let i = 0; i < 10; i++) await t.member();
      const large = await measure();
      expect(large.rows).toBe(small.rows + 10);
      expect(large.sql).toBe(small.sql);
    } finally {
      await counted.stop();
    }
  });
});

describe("privacy settings and health profile", () => {
  it("defaults to opted out, PATCH is partial with 204, and the health profile reflects it", async () => {
    const t = await h.tenant();
    const m = await t.member();
    expect((await h.req("GET", `/v1/users/${m.userId}/privacy-settings`, { token: m.token })).body).toEqual({
      data: { conversation_recording_opt_in: false, nudges_enabled: true },
    });
    const patch = await h.req("PATCH", `/v1/users/${m.userId}/privacy-settings`, { token: m.token, body: { conversation_recording_opt_in: true } });
    expect(patch.status).toBe(204);
    expect((await h.req("PATCH", `/v1/users/${m.userId}/privacy-settings`, { token: m.token, body: {} })).status).toBe(204);
    expect((await h.req("GET", `/v1/users/${m.userId}/privacy-settings`, { token: m.token })).body.data.conversation_recording_opt_in).toBe(true);
    await h.req("PATCH", `/v1/users/${m.userId}`, { token: m.token, body: { location: { city: "Lyon", country: "FR" } } });
    const hp = await h.req("GET", `/v1/users/${m.userId}/health-profile`, { token: m.token });
    expect(hp.body.data.privacy).toEqual({ conversation_recording_opt_in: true });
    expect(hp.body.data.location).toEqual({ city: "Lyon", state: null, country: "FR" });
  });

  it("rejects a non-boolean consent value", async () => {
    const t = await h.tenant();
    const m = await t.member();
    const res = await h.req("PATCH", `/v1/users/${m.userId}/privacy-settings`, { token: m.token, body: { conversation_recording_opt_in: "yes" } });
    expectError(res, 422, "validation_error");
    expect(res.body.error.details[0]).toMatchObject({ field: "conversation_recording_opt_in", code: "invalid_value" });
  });
});
