import crypto from "node:crypto";
import { IdempotencyStore } from "../../server/http/idempotency";
import { expectError, startHarness, type Harness } from "../helpers/harness";

let h: Harness;
beforeAll(async () => (h = await startHarness()));
afterAll(() => h.stop());

describe("Idempotency-Key on POST", () => {
  it("replays the identical status and body without repeating the side effect", async () => {
    const t = await h.tenant();
    const body = { user_id: crypto.randomUUID(), first_name: "Once" };
    const first = await h.req("POST", "/v1/users", { key: t.key, body, headers: { "idempotency-key": "create-1" } });
    const second = await h.req("POST", "/v1/users", { key: t.key, body, headers: { "idempotency-key": "create-1" } });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.text).toBe(first.text);
    const list = await h.req("GET", "/v1/users", { key: t.key });
    expect(list.body.pagination.total).toBe(1);
  });

  it("replays a stored secret-bearing response (encrypted at rest) instead of rotating twice", async () => {
    const t = await h.tenant();
    const first = await h.req("POST", "/v1/auth/tenant-key/rotate", { key: t.key, headers: { "idempotency-key": "rot" } });
    const second = await h.req("POST", "/v1/auth/tenant-key/rotate", { key: t.key, headers: { "idempotency-key": "rot" } });
    expect(second.text).toBe(first.text);
    const stored = await h.em().getConnection().execute<{ response_body: string }[]>("select response_body from idempotency_records where org_id = ?", [t.orgId]);
    expect(stored[0].response_body).not.toContain(first.body.data.new_tenant_api_key);
    const keys = await h.em().getConnection().execute("select id from tenant_keys where org_id = ?", [t.orgId]);
    expect(keys).toHaveLength(2);
  });

  it("returns 409 when the same key is reused with a different body", async () => {
    const t = await h.tenant();
    await h.req("POST", "/v1/users", { key: t.key, body: { user_id: crypto.randomUUID() }, headers: { "idempotency-key": "k1" } });
    const res = await h.req("POST", "/v1/users", { key: t.key, body: { user_id: crypto.randomUUID() }, headers: { "idempotency-key": "k1" } });
    expectError(res, 409, "idempotency_conflict");
  });

  it("returns 409 while the first request with the key is still in flight", async () => {
    const t = await h.tenant();
    const body = { user_id: crypto.randomUUID() };
    const results = await Promise.all(Array.from({ length: 6 }, () => h.req("POST", "/v1/users", { key: t.key, body, headers: { "idempotency-key": "race" } })));
    const statuses = results.map((r) => r.status);
    // Exactly one request does the work; the rest either saw it in flight (409) or replayed it (201, same body).
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
    for (const r of results) {
      if (r.status === 409) expect(r.body.error.code).toBe("idempotency_in_progress");
      else expect(r.text).toBe(results.find((x) => x.status === 201)!.text);
    }
    expect((await h.req("GET", "/v1/users", { key: t.key })).body.pagination.total).toBe(1);
  });

  it("reports an in-flight claim deterministically as idempotency_in_progress", async () => {
    const t = await h.tenant();
    const body = { user_id: crypto.randomUUID() };
    const hash = crypto
      .createHash("sha256")
      .update(`POST /v1/users\n${JSON.stringify(body)}`)
      .digest("hex");
    await h
      .em()
      .getConnection()
      .execute("insert into idempotency_records (scope, key, org_id, request_hash, created_at, expires_at) values (?, 'held', ?, ?, now(), now() + interval '1 day')", [
        `org:${t.orgId}`,
        t.orgId,
        hash,
      ]);
    expectError(await h.req("POST", "/v1/users", { key: t.key, body, headers: { "idempotency-key": "held" } }), 409, "idempotency_in_progress");
  });

  it("scopes keys to the caller: another partner may use the same key", async () => {
    const a = await h.tenant();
    const b = await h.tenant();
    const ra = await h.req("POST", "/v1/users", { key: a.key, body: { user_id: crypto.randomUUID() }, headers: { "idempotency-key": "shared" } });
    const rb = await h.req("POST", "/v1/users", { key: b.key, body: { user_id: crypto.randomUUID() }, headers: { "idempotency-key": "shared" } });
    expect([ra.status, rb.status]).toEqual([201, 201]);
    expect(rb.text).not.toBe(ra.text);
  });

  it("replays a validation failure with the same body but this request's id", async () => {
    const t = await h.tenant();
    const first = await h.req("POST", "/v1/users", { key: t.key, body: { user_id: "bad" }, headers: { "idempotency-key": "bad-1" } });
    const second = await h.req("POST", "/v1/users", { key: t.key, body: { user_id: "bad" }, headers: { "idempotency-key": "bad-1" } });
    expectError(first, 422, "validation_error");
    expectError(second, 422, "validation_error");
    expect({ ...second.body.error, request_id: null }).toEqual({ ...first.body.error, request_id: null });
  });
});

describe("retention", () => {
  it("purges records past their 24 h retention and lets the key be reused", async () => {
    const t = await h.tenant();
    const body = { user_id: crypto.randomUUID() };
    await h.req("POST", "/v1/users", { key: t.key, body, headers: { "idempotency-key": "old" } });
    await h.em().getConnection().execute("update idempotency_records set expires_at = now() - interval '1 second' where org_id = ?", [t.orgId]);
    const purged = await new IdempotencyStore(h.app.deps.orm, h.app.deps.secretBox, 86400).purgeExpired();
    expect(purged).toBeGreaterThanOrEqual(1);
    const again = await h.req("POST", "/v1/users", { key: t.key, body: { user_id: crypto.randomUUID() }, headers: { "idempotency-key": "old" } });
    expect(again.status).toBe(201);
  });
});
