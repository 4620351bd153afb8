import crypto from "node:crypto";
import { expectError, startHarness, type Harness, type TestMember, type TestTenant } from "../helpers/harness";

let h: Harness;
let tenant: TestTenant;
let member: TestMember;
beforeAll(async () => {
  h = await startHarness({ env: { BODY_LIMIT_BYTES: "2048" } });
  tenant = await h.tenant();
  member = await tenant.member();
});
afterAll(() => h.stop());

describe("error envelope on every failure", () => {
  it("returns 404 not_found for an unknown route", async () => {
    expectError(await h.req("GET", "/v1/nope", { key: tenant.key }), 404, "not_found");
    expectError(await h.req("GET", "/elsewhere"), 404, "not_found");
  });

  it("returns 405 with an Allow header for a known path and wrong method", async () => {
    const res = await h.req("PUT", "/v1/users", { key: tenant.key, body: {} });
    expectError(res, 405, "method_not_allowed");
    expect(res.headers.get("allow")).toBe("GET, HEAD, POST");
  });
});

describe("routes that take no body", () => {
  it("refuse a body with fields (422 unknown_field per field), accept an empty object, and refuse a non-object (400)", async () => {
    const path = "/v1/admin/org/queues/jobs";
    const withFields = await h.req("DELETE", path, { key: tenant.key, body: { force: true } });
    expectError(withFields, 422, "validation_error");
    expect(withFields.body.error.details).toEqual([{ field: "force", code: "unknown_field", message: "is not a recognised field: this route takes no body" }]);
    expectError(await h.req("DELETE", path, { key: tenant.key, body: {} }), 404, "queue_not_configured");
    expectError(await h.req("DELETE", path, { key: tenant.key, body: [1] }), 400, "invalid_request");
  });
});

describe("HEAD on every GET route", () => {
  it("answers HEAD with the GET's status and headers and no body", async () => {
    const path = `/v1/users/${member.userId}/health-profile`;
    const get = await h.req("GET", path, { token: member.token });
    const head = await h.req("HEAD", path, { token: member.token });
    expect(get.status).toBe(200);
    expect(head.status).toBe(200);
    expect(head.text).toBe("");
    expect(head.headers.get("content-type")).toBe(get.headers.get("content-type"));
    expect(head.headers.get("content-length")).toBe(get.headers.get("content-length"));
    expect(head.headers.get("x-ratelimit-limit")).toBe(get.headers.get("x-ratelimit-limit"));
  });

  it("applies the GET's guards: no credential is 401, another member's id is 404", async () => {
    const other = await tenant.member();
    expect((await h.req("HEAD", `/v1/users/${member.userId}/health-profile`)).status).toBe(401);
    expect((await h.req("HEAD", `/v1/users/${other.userId}/health-profile`, { token: member.token })).status).toBe(404);
  });

  it("is not allowed where there is no GET", async () => {
    const res = await h.req("HEAD", "/v1/auth/token", { key: tenant.key });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
  });

  it("returns 400 invalid_request for malformed JSON", async () => {
    const res = await h.req("POST", "/v1/users", { key: tenant.key, rawBody: '{"user_id": ', headers: { "content-type": "application/json" } });
    expectError(res, 400, "invalid_request");
  });

  it("returns 400 when the body is not a JSON object", async () => {
    expectError(await h.req("POST", "/v1/users", { key: tenant.key, body: [1, 2] }), 400, "invalid_request");
  });

  it("returns 415 for a non-JSON content type", async () => {
    const res = await h.req("POST", "/v1/users", { key: tenant.key, rawBody: "user_id=1", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expectError(res, 415, "unsupported_media_type");
  });

  it("returns 413 for an oversized body", async () => {
    const res = await h.req("POST", "/v1/users", { key: tenant.key, body: { user_id: crypto.randomUUID(), first_name: "x".repeat(5000) } });
    expectError(res, 413, "payload_too_large");
  });

  it("never answers 500 to garbage input", async () => {
    const inputs = [
      { user_id: 42 },
      { user_id: null },
      { user_id: "../../etc" },
      { user_id: crypto.randomUUID(), email: {} },
      { user_id: crypto.randomUUID(), first_name: ["a"] },
    ];
    for (const body of inputs) {
      const res = await h.req("POST", "/v1/users", { key: tenant.key, body });
      expect(res.status).toBe(422);
    }
    const res = await h.req("GET", `/v1/users/%E0%A4%A`, { token: member.token });
    expect(res.status).toBeLessThan(500);
  });
});

describe("request correlation", () => {
  it("echoes x-request-id and traceparent, and error.request_id equals the request id", async () => {
    const traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    const res = await h.req("GET", "/v1/nope", { headers: { "x-request-id": "req-123", traceparent } });
    expect(res.headers.get("x-request-id")).toBe("req-123");
    expect(res.headers.get("traceparent")).toBe(traceparent);
    expect(res.body.error.request_id).toBe("req-123");
  });

  it("generates a request id when none is sent", async () => {
    const res = await h.req("GET", `/v1/users/${member.userId}`, { token: member.token });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get("traceparent")).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it("starts a new trace for every request without one: trace and parent ids never repeat, across the id pool's refills", async () => {
    // 4 KiB pool / 24 bytes a request: 300 requests cross it at least once.
    const started = await Promise.all(Array.from({ length: 300 }, () => h.req("GET", "/healthz")));
    const parts = started.map((r) => r.headers.get("traceparent")!.split("-"));
    expect(new Set(parts.map((p) => p[1])).size).toBe(300);
    expect(new Set(parts.map((p) => p[2])).size).toBe(300);
    expect(parts.every((p) => p[1] !== "0".repeat(32) && p[2] !== "0".repeat(16))).toBe(true);
  });
});

describe("auth model", () => {
  it("rejects both credentials on one request with 400", async () => {
    expectError(await h.req("GET", `/v1/users/${member.userId}`, { key: tenant.key, token: member.token }), 400, "invalid_request");
  });

  it("returns 401 for missing, malformed, wrong and expired credentials", async () => {
    expectError(await h.req("GET", `/v1/users/${member.userId}`), 401, "unauthorized");
    expectError(await h.req("GET", `/v1/users/${member.userId}`, { token: "not-a-jwt" }), 401, "unauthorized");
    expectError(await h.req("GET", "/v1/users", { key: "ak_sandbox_0000000000000000.wrong" }), 401, "unauthorized");
    const forged = tenant.key.slice(0, -4) + (tenant.key.endsWith("AAAA") ? "BBBB" : "AAAA");
    expectError(await h.req("GET", "/v1/users", { key: forged }), 401, "unauthorized");
    const [hdr, payload, sig] = member.token.split(".");
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
    const tampered = Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 9999 })).toString("base64url");
    expectError(await h.req("GET", `/v1/users/${member.userId}`, { token: `${hdr}.${tampered}.${sig}` }), 401, "unauthorized");
  });

  it("returns 401 for an expired member token", async () => {
    const jwt = await import("jsonwebtoken");
    const now = Math.floor(Date.now() / 1000);
    const expired = jwt.sign({ sub: member.userId, org_id: tenant.orgId, scope: "member", iat: now - 7200, exp: now - 3600 }, h.app.deps.secretBox.jwtKey, {
      algorithm: "HS256",
      issuer: "thrive-partner-api",
      audience: "thrive-partner-api/member",
    });
    expectError(await h.req("GET", `/v1/users/${member.userId}`, { token: expired }), 401, "unauthorized");
  });

  it("requires the tenant key on tenant routes and the bearer on member routes", async () => {
    expectError(await h.req("GET", "/v1/users", { token: member.token }), 401, "unauthorized");
    expectError(await h.req("GET", `/v1/users/${member.userId}`, { key: tenant.key }), 401, "unauthorized");
  });
});

describe("validation", () => {
  it("names each invalid field with a reason code", async () => {
    const res = await h.req("PATCH", `/v1/users/${member.userId}`, {
      token: member.token,
      body: { timezone: "Mars/Olympus", weight_unit: "stone", birthday: "2021-02-30", weight: -3, height: "tall", email: "nope", shoe_size: 9 },
    });
    expectError(res, 422, "validation_error");
    const byField = Object.fromEntries(res.body.error.details.map((d: any) => [d.field, d.code]));
    expect(byField).toEqual({
      timezone: "invalid_value",
      weight_unit: "invalid_value",
      birthday: "invalid_value",
      height: "invalid_value",
      email: "invalid_value",
      shoe_size: "unknown_field",
    });
    for (const d of res.body.error.details) expect(Object.keys(d).sort()).toEqual(["code", "field", "message"]);
  });

  it("reports range violations after type checks pass", async () => {
    const res = await h.req("PATCH", `/v1/users/${member.userId}`, { token: member.token, body: { weight: -3 } });
    expectError(res, 422, "validation_error");
    expect(res.body.error.details).toEqual([{ field: "weight", code: "out_of_range", message: expect.any(String) }]);
  });

  it("rejects a malformed uuid in the path with 422 naming user_id", async () => {
    const res = await h.req("GET", "/v1/users/not-a-uuid", { token: member.token });
    expectError(res, 422, "validation_error");
    expect(res.body.error.details[0]).toMatchObject({ field: "user_id", code: "invalid_value" });
  });

  it("requires user_id on create", async () => {
    const res = await h.req("POST", "/v1/users", { key: tenant.key, body: {} });
    expectError(res, 422, "validation_error");
    expect(res.body.error.details).toEqual([{ field: "user_id", code: "required", message: "is required" }]);
  });

  it("does not echo submitted values in error messages", async () => {
    const res = await h.req("PATCH", `/v1/users/${member.userId}`, { token: member.token, body: { weight: "SECRET-WEIGHT-123" } });
    expect(res.text).not.toContain("SECRET-WEIGHT-123");
  });

  it("refuses dates outside the storable years 0001–9999 by field, in every domain; a bad item never fails its batch", async () => {
    const u = member.userId;
    const cases: [string, string, string][] = [
      [`/v1/users/${u}/metrics/activity/summary?start_date=0000-12-30&end_date=0001-01-02`, "start_date", "must not be before 0001-01-01"],
      [
        `/v1/users/${u}/metrics/heart_rate/timeseries?start_time=0000-12-31T00:00:00Z&end_time=0001-01-02T00:00:00Z`,
        "start_time",
        "must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z",
      ],
    ];
    for (const [path, field, message] of cases) {
      const res = await h.req("GET", path, { token: member.token });
      expectError(res, 422, "validation_error");
      expect(res.body.error.details).toEqual([{ field, code: "out_of_range", message }]);
    }
    const birthday = await h.req("PATCH", `/v1/users/${u}`, { token: member.token, body: { birthday: "0000-02-29" } });
    expect(birthday.body.error.details).toEqual([expect.objectContaining({ field: "birthday", code: "out_of_range" })]);

    const days = await h.req("POST", `/v1/users/${u}/metrics/activity/summary`, {
      token: member.token,
      body: {
        data: [
          { client_id: "y0", date: "0000-06-01", steps: 1 },
          { client_id: "ok", date: "2026-06-01", steps: 2 },
        ],
      },
    });
    expect(days.status).toBe(200);
    expect(days.body.data.map((r: { status: string }) => r.status)).toEqual(["rejected", "accepted"]);
    const samples = await h.req("POST", `/v1/users/${u}/metrics/heart_rate/timeseries`, {
      token: member.token,
      body: {
        data: [
          { timestamp: "0000-06-01T00:00:00Z", value: 60, unit: "bpm" },
          { timestamp: "2026-06-01T00:00:00Z", value: 61, unit: "bpm" },
        ],
      },
    });
    expect(samples.body.data).toMatchObject({ accepted: 1, rejected: [expect.objectContaining({ index: 0 })] });
  });

  it("answers 422, never 500, for values the database cannot store (NUL in text, numbers out of range), on both transports", async () => {
    const nul = await h.req("PATCH", `/v1/users/${member.userId}`, { token: member.token, body: { name: "Ada\u0000SECRET" } });
    expectError(nul, 422, "validation_error");
    expect(nul.body.error.details).toEqual([expect.objectContaining({ field: "name", code: "invalid_value" })]);
    expect(nul.text).not.toContain("SECRET");
    const huge = await h.req("PATCH", `/v1/users/${member.userId}`, { token: member.token, body: { weight: 1e308, weight_unit: "kg" } });
    expectError(huge, 422, "validation_error");
    expect(huge.body.error.details).toEqual([expect.objectContaining({ field: "weight", code: "out_of_range" })]);
    const gql = await h.gql(
      `mutation($u: UUID!, $n: String) { updateUser(userId: $u, input: { name: $n }) { userId } }`,
      { u: member.userId, n: "x\u0000y" },
      { token: member.token },
    );
    expect(gql.body.errors[0].extensions.code).toBe("validation_error");
    const literal = await h.gql(`mutation($u: UUID!) { updateUser(userId: $u, input: { name: "x\\u0000y" }) { userId } }`, { u: member.userId }, { token: member.token });
    expect(literal.body.errors[0].extensions.code).toBe("validation_error");
    // The member is unchanged.
    const got = await h.req("GET", `/v1/users/${member.userId}`, { token: member.token });
    expect(got.body.data.name ?? "").not.toContain("SECRET");
  });
});

describe("pagination", () => {
  it("validates limit and offset and rejects unknown query parameters", async () => {
    for (const q of ["limit=0", "limit=101", "limit=abc", "offset=-1", "limit=1.5"]) {
      const res = await h.req("GET", `/v1/users?${q}`, { key: tenant.key });
      expectError(res, 422, "validation_error");
      expect(res.body.error.details[0].field).toBe(q.split("=")[0]);
    }
    expectError(await h.req("GET", "/v1/users?page=2", { key: tenant.key }), 400, "invalid_request");
    expectError(await h.req("GET", "/v1/users?limit=1&limit=2", { key: tenant.key }), 422, "validation_error");
  });

  it("pages the org's members with limit, offset and total", async () => {
    const t = await h.tenant();
    const members = [await t.member(), await t.member(), await t.member()];
    const page1 = await h.req("GET", "/v1/users?limit=2", { key: t.key });
    expect(page1.status).toBe(200);
    expect(page1.body.pagination).toEqual({ limit: 2, offset: 0, total: 3 });
    expect(page1.body.data.map((u: any) => u.user_id)).toEqual(members.slice(0, 2).map((m) => m.userId));
    const page2 = await h.req("GET", "/v1/users?limit=2&offset=2", { key: t.key });
    expect(page2.body.data.map((u: any) => u.user_id)).toEqual([members[2].userId]);
    const def = await h.req("GET", "/v1/users", { key: t.key });
    expect(def.body.pagination).toEqual({ limit: 25, offset: 0, total: 3 });
  });
});
