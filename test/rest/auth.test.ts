import crypto from "node:crypto";
import { expectError, startHarness, type Harness } from "../helpers/harness";

let h: Harness;
beforeAll(async () => (h = await startHarness()));
afterAll(() => h.stop());

const rows = (sql: string, params: unknown[] = []) => h.em().getConnection().execute<Record<string, unknown>[]>(sql, params);

describe("tenant key rotation", () => {
  it("returns the new key once; both keys work during the grace period", async () => {
    const t = await h.tenant();
    const before = Date.now();
    const res = await h.req("POST", "/v1/auth/tenant-key/rotate", { key: t.key });
    expect(res.status).toBe(200);
    const { new_tenant_api_key, previous_key_expires_at } = res.body.data;
    expect(new_tenant_api_key).toMatch(/^ak_sandbox_[a-z0-9]{16}\.[A-Za-z0-9_-]{43}$/);
    const expires = Date.parse(previous_key_expires_at);
    expect(expires - before).toBeGreaterThan(24 * 3600 * 1000 - 5000);
    expect(expires - before).toBeLessThan(24 * 3600 * 1000 + 5000);
    expect((await h.req("GET", "/v1/users", { key: t.key })).status).toBe(200);
    expect((await h.req("GET", "/v1/users", { key: new_tenant_api_key })).status).toBe(200);
  });

  it("ends the old key at once with a zero grace period", async () => {
    const t = await h.tenant();
    const res = await h.req("POST", "/v1/auth/tenant-key/rotate", { key: t.key, body: { grace_period_seconds: 0 } });
    expect(res.status).toBe(200);
    expectError(await h.req("GET", "/v1/users", { key: t.key }), 401, "unauthorized");
    expect((await h.req("GET", "/v1/users", { key: res.body.data.new_tenant_api_key })).status).toBe(200);
  });

  it("caps the grace period at 7 days", async () => {
    const t = await h.tenant();
    const res = await h.req("POST", "/v1/auth/tenant-key/rotate", { key: t.key, body: { grace_period_seconds: 7 * 86400 + 1 } });
    expectError(res, 422, "validation_error");
    expect(res.body.error.details[0].field).toBe("grace_period_seconds");
  });

  it("stores tenant keys only as hashes", async () => {
    const t = await h.tenant();
    const secret = t.key.split(".")[1];
    const stored = await rows("select * from tenant_keys where org_id = ?", [t.orgId]);
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(stored[0].secret_hash).toBe(crypto.createHash("sha256").update(secret).digest("hex"));
  });

  it("rejects a key whose environment part does not match the org", async () => {
    const t = await h.tenant();
    expectError(await h.req("GET", "/v1/users", { key: t.key.replace("ak_sandbox_", "ak_production_") }), 401, "unauthorized");
  });
});

describe("signing secret rotation", () => {
  it("generates a secret, returns it once, and keeps previous secrets for the grace window", async () => {
    const t = await h.tenant();
    const res = await h.req("POST", "/v1/auth/signing-secret/rotate", { key: t.key });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ signing_secret_rotated_at: expect.any(String), previous_secret_expires_at: expect.any(String), secret: expect.any(String) });
    expect(Buffer.from(res.body.data.secret, "base64").length).toBe(32);
    const live = await rows("select ciphertext, expires_at from signing_secrets where org_id = ? order by created_at", [t.orgId]);
    expect(live).toHaveLength(2);
    expect(live[0].expires_at).not.toBeNull();
    expect(live[1].expires_at).toBeNull();
    // Encrypted at rest: neither secret appears in the table, and each decrypts to what was issued.
    expect(JSON.stringify(live)).not.toContain(res.body.data.secret);
    expect(JSON.stringify(live)).not.toContain(t.signingSecret);
    expect(h.app.deps.secretBox.decrypt(String(live[0].ciphertext))).toBe(t.signingSecret);
    expect(h.app.deps.secretBox.decrypt(String(live[1].ciphertext))).toBe(res.body.data.secret);
  });

  it("accepts a partner secret of at least 32 bytes in hex or base64 and does not echo it", async () => {
    const t = await h.tenant();
    const hex = crypto.randomBytes(32).toString("hex");
    const res = await h.req("POST", "/v1/auth/signing-secret/rotate", { key: t.key, body: { secret: hex } });
    expect(res.status).toBe(200);
    expect(res.body.data.secret).toBeNull();
    const b64 = crypto.randomBytes(48).toString("base64");
    expect((await h.req("POST", "/v1/auth/signing-secret/rotate", { key: t.key, body: { secret: b64 } })).status).toBe(200);
  });

  it("rejects a short or non-encoded partner secret with 422", async () => {
    const t = await h.tenant();
    for (const secret of [crypto.randomBytes(31).toString("hex"), crypto.randomBytes(16).toString("base64"), "not base64 !!"]) {
      const res = await h.req("POST", "/v1/auth/signing-secret/rotate", { key: t.key, body: { secret } });
      expectError(res, 422, "validation_error");
      expect(res.body.error.details[0].field).toBe("secret");
      expect(res.text).not.toContain(secret);
    }
  });
});
