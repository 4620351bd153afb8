import crypto from "node:crypto";
import { OrgEnvironment } from "../../entities/partners/org.entity";
import { expectError, startHarness, type Harness, type TestTenant } from "../helpers/harness";

let h: Harness;
beforeAll(async () => (h = await startHarness()));
afterAll(() => h.stop());

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const DAY_MS = 24 * 3600 * 1000;

const rows = (sql: string, params: unknown[] = []) => h.em().getConnection().execute<Record<string, unknown>[]>(sql, params);
const sha256 = (s: string) => crypto.createHash("sha256").update(s).digest("hex");
const email = () => `admin-${crypto.randomUUID().slice(0, 8)}@example.com`;
const keyIdOf = (rawKey: string) => /^ak_[a-z]+_([a-z0-9]+)\./.exec(rawKey)![1];
const tokenOf = (inviteUrl: string) => new URL(inviteUrl, "http://placeholder").searchParams.get("token")!;

async function createInvite(t: TestTenant, body: Record<string, unknown> = { email: email() }) {
  const res = await h.req("POST", "/v1/admin/org/invites", { key: t.key, body });
  if (res.status !== 201) throw new Error(`create invite: ${res.status} ${res.text}`);
  return res.body.data as { id: string; email: string; invite_url: string; token_prefix: string };
}

/** An admin-portal member of `t`, through the real invite → accept flow. */
async function orgMember(t: TestTenant, name?: string) {
  const invite = await createInvite(t);
  const res = await h.req("POST", "/v1/admin/org/invites/accept", { body: { token: tokenOf(invite.invite_url), ...(name ? { name } : {}) } });
  if (res.status !== 201) throw new Error(`accept invite: ${res.status} ${res.text}`);
  return res.body.data as { id: string; email: string };
}

async function createKey(t: TestTenant, name = "ci") {
  const res = await h.req("POST", "/v1/admin/org/tenant-keys", { key: t.key, body: { name } });
  if (res.status !== 201) throw new Error(`create key: ${res.status} ${res.text}`);
  return res.body.data as { id: string; secret: string };
}

describe("org", () => {
  it("GET returns exactly the documented org object", async () => {
    const t = await h.tenant();
    const res = await h.req("GET", "/v1/admin/org", { key: t.key });
    expect(res.status).toBe(200);
    const [org] = await rows("select name, key from orgs where id = ?", [t.orgId]);
    expect(res.body).toEqual({
      data: { id: t.orgId, name: org.name, key: org.key, member_count: 0, nudge_delivery: "basic", created_at: expect.stringMatching(INSTANT) },
    });
  });

  it("member_count counts admin-portal members, not health members", async () => {
    const t = await h.tenant();
    await t.member();
    await orgMember(t);
    await orgMember(t);
    await createInvite(t);
    expect((await h.req("GET", "/v1/admin/org", { key: t.key })).body.data.member_count).toBe(2);
  });

  it("PATCH changes the trimmed name and returns the full org with 200", async () => {
    const t = await h.tenant();
    const before = (await h.req("GET", "/v1/admin/org", { key: t.key })).body.data;
    const res = await h.req("PATCH", "/v1/admin/org", { key: t.key, body: { name: "  Acme Health  " } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { ...before, name: "Acme Health" } });
    expect((await h.req("GET", "/v1/admin/org", { key: t.key })).body.data.name).toBe("Acme Health");
    const same = await h.req("PATCH", "/v1/admin/org", { key: t.key, body: {} });
    expect(same.body.data.name).toBe("Acme Health");
    const long = ` ${"x".repeat(200)} `;
    expect((await h.req("PATCH", "/v1/admin/org", { key: t.key, body: { name: long } })).body.data.name).toBe("x".repeat(200));
  });

  it("switches the coach.nudge.created delivery contract between basic and full", async () => {
    const t = await h.tenant();
    const res = await h.req("PATCH", "/v1/admin/org", { key: t.key, body: { nudge_delivery: "full" } });
    expect(res.status).toBe(200);
    expect(res.body.data.nudge_delivery).toBe("full");
    expect((await h.req("GET", "/v1/admin/org", { key: t.key })).body.data.nudge_delivery).toBe("full");
    const bad = await h.req("PATCH", "/v1/admin/org", { key: t.key, body: { nudge_delivery: "inline" } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details[0]).toMatchObject({ field: "nudge_delivery", code: "invalid_value" });
  });

  it("returns 422 immutable_field naming id or key, whatever their value, and changes nothing", async () => {
    const t = await h.tenant();
    const before = (await h.req("GET", "/v1/admin/org", { key: t.key })).body.data;
    for (const [body, fields] of [
      [{ id: crypto.randomUUID() }, ["id"]],
      [{ key: "new-key", name: "Renamed" }, ["key"]],
      [{ id: before.id, key: before.key }, ["id", "key"]],
      [{ key: null }, ["key"]],
      [{ id: 42 }, ["id"]],
    ] as const) {
      const res = await h.req("PATCH", "/v1/admin/org", { key: t.key, body });
      expectError(res, 422, "immutable_field");
      expect(res.body.error.details.map((d: { field: string; code: string }) => [d.field, d.code])).toEqual(fields.map((f) => [f, "immutable_field"]));
    }
    expect((await h.req("GET", "/v1/admin/org", { key: t.key })).body.data).toEqual(before);
  });

  it("validates the name: 1–200 characters after trimming, not null, no unknown fields", async () => {
    const t = await h.tenant();
    for (const [body, code] of [
      [{ name: "" }, "too_short"],
      [{ name: "    " }, "too_short"],
      [{ name: "x".repeat(201) }, "too_long"],
      [{ name: null }, "required"],
      [{ name: 7 }, "invalid_value"],
    ] as const) {
      const res = await h.req("PATCH", "/v1/admin/org", { key: t.key, body });
      expectError(res, 422, "validation_error");
      expect(res.body.error.details).toEqual([{ field: "name", code, message: expect.any(String) }]);
    }
    const unknown = await h.req("PATCH", "/v1/admin/org", { key: t.key, body: { nmae: "typo" } });
    expectError(unknown, 422, "validation_error");
    expect(unknown.body.error.details[0]).toMatchObject({ field: "nmae", code: "unknown_field" });
  });
});

describe("invites", () => {
  it("POST returns 201 with the documented shape, a 7-day expiry and the one-time invite_url", async () => {
    const t = await h.tenant();
    const before = Date.now();
    const res = await h.req("POST", "/v1/admin/org/invites", { key: t.key, body: { email: "New.Admin@Example.com" } });
    expect(res.status).toBe(201);
    const d = res.body.data;
    expect(res.body).toEqual({
      data: {
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        email: "new.admin@example.com",
        scope: "admin",
        token_prefix: expect.any(String),
        status: "pending",
        expires_at: expect.stringMatching(INSTANT),
        created_at: expect.stringMatching(INSTANT),
        accepted_at: null,
        revoked_at: null,
        invite_url: expect.stringMatching(/^\/v1\/admin\/org\/invites\/accept\?token=[A-Za-z0-9_-]{43}$/),
      },
    });
    const token = tokenOf(d.invite_url);
    expect(d.token_prefix).toBe(token.slice(0, 8));
    expect(Date.parse(d.expires_at) - Date.parse(d.created_at)).toBe(7 * DAY_MS);
    expect(Math.abs(Date.parse(d.created_at) - before)).toBeLessThan(5000);
    const viewer = await h.req("POST", "/v1/admin/org/invites", { key: t.key, body: { email: email(), scope: "viewer" } });
    expect(viewer.body.data.scope).toBe("viewer");
  });

  it("shows invite_url only once and stores only the token's SHA-256", async () => {
    const t = await h.tenant();
    const created = await createInvite(t);
    const token = tokenOf(created.invite_url);
    const list = await h.req("GET", "/v1/admin/org/invites", { key: t.key });
    expect(list.status).toBe(200);
    expect(list.body.data).toHaveLength(1);
    expect(Object.keys(list.body.data[0]).sort()).toEqual(["accepted_at", "created_at", "email", "expires_at", "id", "revoked_at", "scope", "status", "token_prefix"]);
    expect(list.text).not.toContain(token);
    const stored = await rows("select * from org_invites where org_id = ?", [t.orgId]);
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(stored[0].token_hash).toBe(sha256(token));
  });

  it("returns 409 invite_pending for a second pending invite to the same email (case-insensitive)", async () => {
    const t = await h.tenant();
    const address = email();
    await createInvite(t, { email: address });
    expectError(await h.req("POST", "/v1/admin/org/invites", { key: t.key, body: { email: address.toUpperCase() } }), 409, "invite_pending");
    // Another partner may invite the same person.
    const other = await h.tenant();
    expect((await h.req("POST", "/v1/admin/org/invites", { key: other.key, body: { email: address } })).status).toBe(201);
  });

  it("lets only one of two concurrent invites for the same email succeed", async () => {
    const t = await h.tenant();
    const address = email();
    const results = await Promise.all(Array.from({ length: 4 }, () => h.req("POST", "/v1/admin/org/invites", { key: t.key, body: { email: address } })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    for (const r of results.filter((x) => x.status === 409)) expectError(r, 409, "invite_pending");
    expect(await rows("select id from org_invites where org_id = ?", [t.orgId])).toHaveLength(1);
  });

  it("reports an unaccepted invite past expires_at as expired and lets the email be invited again", async () => {
    const t = await h.tenant();
    const address = email();
    const old = await createInvite(t, { email: address });
    await rows("update org_invites set expires_at = now() - interval '1 second' where id = ?", [old.id]);
    const again = await h.req("POST", "/v1/admin/org/invites", { key: t.key, body: { email: address } });
    expect(again.status).toBe(201);
    const expired = await h.req("GET", "/v1/admin/org/invites?status=expired", { key: t.key });
    expect(expired.body.data.map((i: { id: string; status: string }) => [i.id, i.status])).toEqual([[old.id, "expired"]]);
    const pending = await h.req("GET", "/v1/admin/org/invites?status=pending", { key: t.key });
    expect(pending.body.data.map((i: { id: string }) => i.id)).toEqual([again.body.data.id]);
    expectError(await h.req("POST", "/v1/admin/org/invites/accept", { body: { token: tokenOf(old.invite_url) } }), 404, "not_found");
  });

  it("filters by status and paginates", async () => {
    const t = await h.tenant();
    const a = await createInvite(t);
    const b = await createInvite(t);
    const c = await createInvite(t);
    await createInvite(t);
    expect((await h.req("DELETE", `/v1/admin/org/invites/${b.id}`, { key: t.key })).status).toBe(204);
    await h.req("POST", "/v1/admin/org/invites/accept", { body: { token: tokenOf(c.invite_url) } });

    const page = await h.req("GET", "/v1/admin/org/invites?limit=2&offset=1", { key: t.key });
    expect(page.body.pagination).toEqual({ limit: 2, offset: 1, total: 4 });
    expect(page.body.data.map((i: { id: string }) => i.id)).toEqual([b.id, c.id]);
    const byStatus = async (s: string) =>
      (await h.req("GET", `/v1/admin/org/invites?status=${s}`, { key: t.key })).body.data.map((i: { id: string; status: string }) => [i.id, i.status]);
    expect(await byStatus("revoked")).toEqual([[b.id, "revoked"]]);
    expect(await byStatus("accepted")).toEqual([[c.id, "accepted"]]);
    expect((await byStatus("pending")).map(([id]: string[]) => id)).toEqual([a.id, expect.any(String)]);
    expect(await byStatus("expired")).toEqual([]);
    const first = await h.req("GET", "/v1/admin/org/invites", { key: t.key });
    expect(first.body.pagination).toEqual({ limit: 25, offset: 0, total: 4 });

    for (const q of ["status=gone", "limit=0", "limit=101", "offset=-1"]) {
      const res = await h.req("GET", `/v1/admin/org/invites?${q}`, { key: t.key });
      expectError(res, 422, "validation_error");
      expect(res.body.error.details[0].field).toBe(q.split("=")[0]);
    }
    expectError(await h.req("GET", "/v1/admin/org/invites?state=pending", { key: t.key }), 400, "invalid_request");
  });

  it("validates email and scope", async () => {
    const t = await h.tenant();
    for (const [body, field, code] of [
      [{ email: "not-an-email" }, "email", "invalid_value"],
      [{}, "email", "required"],
      [{ email: email(), scope: "owner" }, "scope", "invalid_value"],
      [{ email: `${"a".repeat(250)}@example.com` }, "email", "too_long"],
      [{ email: email(), role: "admin" }, "role", "unknown_field"],
    ] as const) {
      const res = await h.req("POST", "/v1/admin/org/invites", { key: t.key, body });
      expectError(res, 422, "validation_error");
      expect(res.body.error.details[0]).toMatchObject({ field, code });
    }
  });

  it("DELETE revokes with 204; revoked → 409 invite_already_revoked; accepted → 409 invite_already_accepted", async () => {
    const t = await h.tenant();
    const pending = await createInvite(t);
    const del = await h.req("DELETE", `/v1/admin/org/invites/${pending.id}`, { key: t.key });
    expect(del.status).toBe(204);
    expect(del.text).toBe("");
    expectError(await h.req("DELETE", `/v1/admin/org/invites/${pending.id}`, { key: t.key }), 409, "invite_already_revoked");
    expectError(await h.req("POST", "/v1/admin/org/invites/accept", { body: { token: tokenOf(pending.invite_url) } }), 404, "not_found");

    const accepted = await createInvite(t);
    await h.req("POST", "/v1/admin/org/invites/accept", { body: { token: tokenOf(accepted.invite_url) } });
    expectError(await h.req("DELETE", `/v1/admin/org/invites/${accepted.id}`, { key: t.key }), 409, "invite_already_accepted");

    const list = (await h.req("GET", "/v1/admin/org/invites", { key: t.key })).body.data;
    expect(list[0]).toMatchObject({ id: pending.id, status: "revoked", revoked_at: expect.stringMatching(INSTANT), accepted_at: null });
    expect(list[1]).toMatchObject({ id: accepted.id, status: "accepted", accepted_at: expect.stringMatching(INSTANT), revoked_at: null });
    expectError(await h.req("DELETE", `/v1/admin/org/invites/${crypto.randomUUID()}`, { key: t.key }), 404, "not_found");
  });
});

describe("accepting an invite", () => {
  it("needs no credentials: creates the member from the invite's email and scope, once", async () => {
    const t = await h.tenant();
    const invite = await createInvite(t, { email: "Grace@Example.com", scope: "member" });
    const token = tokenOf(invite.invite_url);
    const res = await h.req("POST", "/v1/admin/org/invites/accept", { body: { token, name: "  Grace Hopper " } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      data: {
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        email: "grace@example.com",
        name: "Grace Hopper",
        scope: "member",
        created_at: expect.stringMatching(INSTANT),
      },
    });
    const members = await h.req("GET", "/v1/admin/org/members", { key: t.key });
    expect(members.body).toEqual({ data: [res.body.data], pagination: { limit: 25, offset: 0, total: 1 } });
    expectError(await h.req("POST", "/v1/admin/org/invites/accept", { body: { token } }), 404, "not_found");
  });

  it("returns 404 for unknown, used, revoked and expired tokens alike", async () => {
    const t = await h.tenant();
    expectError(await h.req("POST", "/v1/admin/org/invites/accept", { body: { token: "nope" } }), 404, "not_found");
    const expired = await createInvite(t);
    await rows("update org_invites set expires_at = now() - interval '1 second' where id = ?", [expired.id]);
    const res = await h.req("POST", "/v1/admin/org/invites/accept", { body: { token: tokenOf(expired.invite_url) } });
    expectError(res, 404, "not_found");
    expect(res.body.error.message).toBe("Invite not found");
    expect((await rows("select accepted_at from org_invites where id = ?", [expired.id]))[0].accepted_at).toBeNull();
  });

  it("turns concurrent accepts of one token into exactly one member", async () => {
    const t = await h.tenant();
    const token = tokenOf((await createInvite(t)).invite_url);
    const results = await Promise.all(Array.from({ length: 3 }, () => h.req("POST", "/v1/admin/org/invites/accept", { body: { token } })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 404, 404]);
    expect(await rows("select id from org_members where org_id = ?", [t.orgId])).toHaveLength(1);
  });

  it("authenticates credentials that are sent anyway, and validates the body", async () => {
    const t = await h.tenant();
    const token = tokenOf((await createInvite(t)).invite_url);
    expectError(await h.req("POST", "/v1/admin/org/invites/accept", { key: "ak_sandbox_0000000000000000.x", body: { token } }), 401, "unauthorized");
    for (const [body, field, code] of [
      [{}, "token", "required"],
      [{ token, name: "x".repeat(201) }, "name", "too_long"],
      [{ token, name: "  " }, "name", "too_short"],
    ] as const) {
      const res = await h.req("POST", "/v1/admin/org/invites/accept", { body });
      expectError(res, 422, "validation_error");
      expect(res.body.error.details[0]).toMatchObject({ field, code });
    }
    const m = await t.member();
    expect((await h.req("POST", "/v1/admin/org/invites/accept", { token: m.token, body: { token } })).status).toBe(201);
  });

  it("refuses to invite an email that is already a member (409 conflict)", async () => {
    const t = await h.tenant();
    const member = await orgMember(t);
    expectError(await h.req("POST", "/v1/admin/org/invites", { key: t.key, body: { email: member.email } }), 409, "conflict");
  });
});

describe("org members", () => {
  it("lists members oldest first with pagination and removes one with 204", async () => {
    const t = await h.tenant();
    const a = await orgMember(t, "A");
    const b = await orgMember(t);
    const c = await orgMember(t);
    const page = await h.req("GET", "/v1/admin/org/members?limit=2&offset=1", { key: t.key });
    expect(page.status).toBe(200);
    expect(page.body.pagination).toEqual({ limit: 2, offset: 1, total: 3 });
    expect(page.body.data.map((m: { id: string }) => m.id)).toEqual([b.id, c.id]);
    expect(page.body.data[0]).toEqual({ id: b.id, email: b.email, name: null, scope: "admin", created_at: expect.stringMatching(INSTANT) });

    const del = await h.req("DELETE", `/v1/admin/org/members/${a.id}`, { key: t.key });
    expect(del.status).toBe(204);
    expect(del.text).toBe("");
    expectError(await h.req("DELETE", `/v1/admin/org/members/${a.id}`, { key: t.key }), 404, "not_found");
    expect((await h.req("GET", "/v1/admin/org", { key: t.key })).body.data.member_count).toBe(2);
    // A removed member can be invited again.
    expect((await h.req("POST", "/v1/admin/org/invites", { key: t.key, body: { email: a.email } })).status).toBe(201);
    const bad = await h.req("DELETE", "/v1/admin/org/members/not-a-uuid", { key: t.key });
    expectError(bad, 422, "validation_error");
    expect(bad.body.error.details[0].field).toBe("member_id");
  });
});

describe("tenant keys", () => {
  it("POST returns 201 with the documented shape and the secret, which authenticates", async () => {
    const t = await h.tenant();
    const res = await h.req("POST", "/v1/admin/org/tenant-keys", { key: t.key, body: { name: " CI pipeline " } });
    expect(res.status).toBe(201);
    const d = res.body.data;
    expect(res.body).toEqual({
      data: {
        id: expect.stringMatching(/^[a-z0-9]{16}$/),
        name: "CI pipeline",
        prefix: `ak_sandbox_${d.id}`,
        created_at: expect.stringMatching(INSTANT),
        last_used_at: null,
        revoked_at: null,
        expires_at: null,
        is_current: false,
        secret: expect.stringMatching(new RegExp(`^ak_sandbox_${d.id}\\.[A-Za-z0-9_-]{43}$`)),
      },
    });
    const org = await h.req("GET", "/v1/admin/org", { key: d.secret });
    expect(org.body.data.id).toBe(t.orgId);
  });

  it("uses the org's environment in the prefix and secret", async () => {
    const t = await h.tenant(OrgEnvironment.production);
    const key = await createKey(t);
    expect(key.secret.startsWith(`ak_production_${key.id}.`)).toBe(true);
    expect((await h.req("GET", "/v1/admin/org/tenant-keys", { key: key.secret })).body.data.every((k: { prefix: string }) => k.prefix.startsWith("ak_production_"))).toBe(
      true,
    );
  });

  it("lists metadata only, marks the calling key is_current, and stores only hashes", async () => {
    const t = await h.tenant();
    const second = await createKey(t, "second");
    const list = await h.req("GET", "/v1/admin/org/tenant-keys", { key: t.key });
    expect(list.status).toBe(200);
    expect(list.body.pagination).toEqual({ limit: 25, offset: 0, total: 2 });
    expect(list.body.data.map((k: { id: string; is_current: boolean }) => [k.id, k.is_current])).toEqual([
      [keyIdOf(t.key), true],
      [second.id, false],
    ]);
    for (const k of list.body.data) {
      expect(Object.keys(k).sort()).toEqual(["created_at", "expires_at", "id", "is_current", "last_used_at", "name", "prefix", "revoked_at"]);
    }
    expect(list.text).not.toContain(second.secret.split(".")[1]);
    expect(list.body.data[0].last_used_at).toMatch(INSTANT);

    const asSecond = await h.req("GET", "/v1/admin/org/tenant-keys", { key: second.secret });
    expect(asSecond.body.data.map((k: { is_current: boolean }) => k.is_current)).toEqual([false, true]);
    expect(asSecond.body.data[1].last_used_at).toMatch(INSTANT);

    const stored = await rows("select * from tenant_keys where org_id = ?", [t.orgId]);
    expect(JSON.stringify(stored)).not.toContain(second.secret.split(".")[1]);
    expect(stored.find((r) => r.id === second.id)!.secret_hash).toBe(sha256(second.secret.split(".")[1]));
  });

  it("revokes another key with 204 and that key gets 401 on the very next request", async () => {
    const t = await h.tenant();
    const other = await createKey(t);
    expect((await h.req("GET", "/v1/admin/org", { key: other.secret })).status).toBe(200);
    const del = await h.req("DELETE", `/v1/admin/org/tenant-keys/${other.id}`, { key: t.key });
    expect(del.status).toBe(204);
    expect(del.text).toBe("");
    expectError(await h.req("GET", "/v1/admin/org", { key: other.secret }), 401, "unauthorized");
    expectError(await h.req("GET", "/v1/users", { key: other.secret }), 401, "unauthorized");
    expect((await h.req("DELETE", `/v1/admin/org/tenant-keys/${other.id}`, { key: t.key })).status).toBe(204);

    const active = await h.req("GET", "/v1/admin/org/tenant-keys", { key: t.key });
    expect(active.body.data.map((k: { id: string }) => k.id)).toEqual([keyIdOf(t.key)]);
    const all = await h.req("GET", "/v1/admin/org/tenant-keys?include_revoked=true", { key: t.key });
    expect(all.body.pagination.total).toBe(2);
    expect(all.body.data[1]).toMatchObject({ id: other.id, revoked_at: expect.stringMatching(INSTANT), is_current: false });
    const paged = await h.req("GET", "/v1/admin/org/tenant-keys?include_revoked=true&limit=1&offset=1", { key: t.key });
    expect(paged.body).toMatchObject({ data: [{ id: other.id }], pagination: { limit: 1, offset: 1, total: 2 } });
    expectError(await h.req("GET", "/v1/admin/org/tenant-keys?include_revoked=maybe", { key: t.key }), 422, "validation_error");
  });

  it("returns 409 cannot_revoke_self for the key that authenticated the request", async () => {
    const t = await h.tenant();
    expectError(await h.req("DELETE", `/v1/admin/org/tenant-keys/${keyIdOf(t.key)}`, { key: t.key }), 409, "cannot_revoke_self");
    expect((await h.req("GET", "/v1/admin/org", { key: t.key })).status).toBe(200);
  });

  it("never lets two keys revoke each other concurrently", async () => {
    const t = await h.tenant();
    const other = await createKey(t);
    const [a, b] = await Promise.all([
      h.req("DELETE", `/v1/admin/org/tenant-keys/${other.id}`, { key: t.key }),
      h.req("DELETE", `/v1/admin/org/tenant-keys/${keyIdOf(t.key)}`, { key: other.secret }),
    ]);
    expect([a.status, b.status].sort()).toEqual([204, 401]);
    const alive = await rows("select id from tenant_keys where org_id = ? and revoked_at is null", [t.orgId]);
    expect(alive).toHaveLength(1);
  });

  it("validates the name: required, 1–100 characters after trimming", async () => {
    const t = await h.tenant();
    for (const [body, code] of [
      [{}, "required"],
      [{ name: "   " }, "too_short"],
      [{ name: "k".repeat(101) }, "too_long"],
    ] as const) {
      const res = await h.req("POST", "/v1/admin/org/tenant-keys", { key: t.key, body });
      expectError(res, 422, "validation_error");
      expect(res.body.error.details[0]).toMatchObject({ field: "name", code });
    }
  });
});

describe("partner management isolation and auth", () => {
  it("returns 404 for tenant X's key on tenant Y's invite, member and key, and leaves them untouched", async () => {
    const x = await h.tenant();
    const y = await h.tenant();
    const yInvite = await createInvite(y);
    const yMember = await orgMember(y);
    const yKey = await createKey(y);
    for (const path of [`/v1/admin/org/invites/${yInvite.id}`, `/v1/admin/org/members/${yMember.id}`, `/v1/admin/org/tenant-keys/${yKey.id}`]) {
      expectError(await h.req("DELETE", path, { key: x.key }), 404, "not_found");
    }
    expect((await h.req("GET", "/v1/admin/org", { key: y.key })).body.data.member_count).toBe(1);
    expect((await h.req("GET", "/v1/admin/org", { key: yKey.secret })).status).toBe(200);
    const yPending = await h.req("GET", "/v1/admin/org/invites?status=pending", { key: y.key });
    expect(yPending.body.data.map((i: { id: string }) => i.id)).toEqual([yInvite.id]);
    const xView = await Promise.all(["/v1/admin/org/invites", "/v1/admin/org/members", "/v1/admin/org/tenant-keys"].map((p) => h.req("GET", p, { key: x.key })));
    expect(xView.map((r) => r.body.pagination.total)).toEqual([0, 0, 1]);
    expect((await h.req("GET", "/v1/admin/org", { key: x.key })).body.data.id).toBe(x.orgId);
  });

  it("answers 401 to member bearer tokens and to anonymous calls on every tenant route", async () => {
    const t = await h.tenant();
    const m = await t.member();
    const id = crypto.randomUUID();
    const routes = [
      ["GET", "/v1/admin/org", undefined],
      ["PATCH", "/v1/admin/org", { name: "x" }],
      ["GET", "/v1/admin/org/members", undefined],
      ["DELETE", `/v1/admin/org/members/${id}`, undefined],
      ["POST", "/v1/admin/org/invites", { email: email() }],
      ["GET", "/v1/admin/org/invites", undefined],
      ["DELETE", `/v1/admin/org/invites/${id}`, undefined],
      ["POST", "/v1/admin/org/tenant-keys", { name: "x" }],
      ["GET", "/v1/admin/org/tenant-keys", undefined],
      ["DELETE", `/v1/admin/org/tenant-keys/${keyIdOf(t.key)}`, undefined],
    ] as const;
    for (const [method, path, body] of routes) {
      expectError(await h.req(method, path, { token: m.token, body }), 401, "unauthorized");
      expectError(await h.req(method, path, { body }), 401, "unauthorized");
    }
    expect(await rows("select id from org_invites where org_id = ?", [t.orgId])).toHaveLength(0);
  });

  it("documents the accept route without a security requirement in OpenAPI", async () => {
    const doc = (await h.req("GET", "/v1/openapi.json")).body;
    expect(doc.paths["/v1/admin/org/invites/accept"].post.security).toEqual([]);
    const createKeyOp = doc.paths["/v1/admin/org/tenant-keys"].post;
    expect(createKeyOp.security).toEqual([{ TenantKey: [] }]);
    expect(createKeyOp.responses["201"].content["application/json"].schema.properties.data.properties).toHaveProperty("secret");
    const listKeys = doc.paths["/v1/admin/org/tenant-keys"].get.responses["200"].content["application/json"].schema.properties.data;
    expect(listKeys.items.properties).not.toHaveProperty("secret");
    const listInvites = doc.paths["/v1/admin/org/invites"].get.responses["200"].content["application/json"].schema.properties.data;
    expect(listInvites.items.properties).not.toHaveProperty("invite_url");
  });
});

it("lists invites, members and tenant keys with a constant number of SQL statements", async () => {
  const statements: string[] = [];
  const counted = await startHarness({ onQuery: (sql: string) => statements.push(sql) });
  try {
    const t = await counted.tenant();
    const measure = async () => {
      const out: number[] = [];
      for (const path of ["/v1/admin/org/invites?limit=100", "/v1/admin/org/members?limit=100", "/v1/admin/org/tenant-keys?limit=100"]) {
        statements.length = 0;
        const res = await counted.req("GET", path, { key: t.key });
        expect(res.status).toBe(200);
        out.push(res.body.data.length, statements.length);
      }
      return out;
    };
    const grow = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const inv = await counted.req("POST", "/v1/admin/org/invites", { key: t.key, body: { email: email() } });
        await counted.req("POST", "/v1/admin/org/invites/accept", { body: { token: tokenOf(inv.body.data.invite_url) } });
        await counted.req("POST", "/v1/admin/org/invites", { key: t.key, body: { email: email() } });
        await counted.req("POST", "/v1/admin/org/tenant-keys", { key: t.key, body: { name: `k${i}` } });
      }
    };
    await grow(1);
    const [invites1, sqlA, members1, sqlB, keys1, sqlC] = await measure();
    await grow(5);
    const [invites2, sqlA2, members2, sqlB2, keys2, sqlC2] = await measure();
    expect([invites2 - invites1, members2 - members1, keys2 - keys1]).toEqual([10, 5, 5]);
    expect([sqlA2, sqlB2, sqlC2]).toEqual([sqlA, sqlB, sqlC]);
  } finally {
    await counted.stop();
  }
});
