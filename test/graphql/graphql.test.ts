import crypto from "node:crypto";
import { startHarness, type Harness } from "../helpers/harness";

let h: Harness;
beforeAll(async () => (h = await startHarness()));
afterAll(() => h.stop());

const PROFILE =
  "query($id: UUID!) { healthProfile(userId: $id) { userId profile { name timezone weightUnit } privacy { conversationRecordingOptIn } connectedDevices { providerSlug } } }";

describe("GraphQL at /graphql with the same credentials", () => {
  it("runs the getting-started flow: createUser and issueToken with the tenant key, reads with the member token", async () => {
    const t = await h.tenant();
    const userId = crypto.randomUUID();
    const created = await h.gql("mutation($i: CreateUserInput!) { createUser(input: $i) { userId } }", { i: { userId, firstName: "Gq" } }, { key: t.key });
    expect(created.body).toEqual({ data: { createUser: { userId } } });
    const minted = await h.gql("mutation($i: IssueTokenInput!) { issueToken(input: $i) { accessToken tokenType expiresIn } }", { i: { userId } }, { key: t.key });
    const token = minted.body.data.issueToken.accessToken;
    const updated = await h.gql(
      "mutation($id: UUID!, $i: UpdateUserInput!) { updateUser(userId: $id, input: $i) { profile { timezone weightUnit } } }",
      { id: userId, i: { timezone: "Asia/Tokyo", weightUnit: "lb" } },
      { token },
    );
    expect(updated.body.data.updateUser.profile).toEqual({ timezone: "Asia/Tokyo", weightUnit: "lb" });
    const profile = await h.gql(PROFILE, { id: userId }, { token });
    expect(profile.body.data.healthProfile).toEqual({
      userId,
      profile: { name: "Gq", timezone: "Asia/Tokyo", weightUnit: "lb" },
      privacy: { conversationRecordingOptIn: false },
      connectedDevices: [],
    });
  });

  it("lets the tenant key read its own members and the member list", async () => {
    const t = await h.tenant();
    const m = await t.member({ name: "Listed" });
    const res = await h.gql("{ users(limit: 10) { items { userId profile { name } } pagination { total limit offset } } }", {}, { key: t.key });
    expect(res.body.data.users).toEqual({ items: [{ userId: m.userId, profile: { name: "Listed" } }], pagination: { total: 1, limit: 10, offset: 0 } });
    expect((await h.gql(PROFILE, { id: m.userId }, { key: t.key })).body.data.healthProfile.userId).toBe(m.userId);
  });

  it("carries the same error codes in extensions.code", async () => {
    const t = await h.tenant();
    const m = await t.member();
    const dup = await h.gql("mutation($i: CreateUserInput!) { createUser(input: $i) { userId } }", { i: { userId: m.userId } }, { key: t.key });
    expect(dup.body.errors[0].extensions.code).toBe("conflict");
    const forbidden = await h.gql("{ users { pagination { total } } }", {}, { token: m.token });
    expect(forbidden.body.errors[0].extensions.code).toBe("forbidden");
    const anon = await h.gql(PROFILE, { id: m.userId });
    expect(anon.body.errors[0].extensions.code).toBe("unauthorized");
    const invalid = await h.gql("{ users(limit: 500) { pagination { total } } }", {}, { key: t.key });
    expect(invalid.body.errors[0].extensions).toMatchObject({ code: "validation_error", details: [{ field: "limit", code: "out_of_range" }] });
    const badVar = await h.gql(PROFILE, { id: "nope" }, { token: m.token });
    expect(badVar.body.errors[0].extensions.code).toBe("validation_error");
    const badDoc = await h.gql("{ nope }", {}, { key: t.key });
    expect(badDoc.body.errors[0].extensions.code).toBe("invalid_request");
    const badKey = await h.gql("{ users { pagination { total } } }", {}, { key: "ak_sandbox_0000000000000000.x" });
    expect(badKey.status).toBe(401);
    expect(badKey.body.errors[0].extensions.code).toBe("unauthorized");
  });

  it("rejects documents over the alias limit", async () => {
    const t = await h.tenant();
    const m = await t.member();
    const aliases = Array.from({ length: 20 }, (_, i) => `a${i}: healthProfile(userId: "${m.userId}") { userId }`).join(" ");
    const tooMany = await h.gql(`{ ${aliases} }`, {}, { key: t.key });
    expect(tooMany.body.errors[0].extensions.code).toBe("invalid_request");
    expect(tooMany.body.data).toBeUndefined();
  });
});

describe("configurable depth and cost limits", () => {
  it("rejects documents deeper or costlier than configured, before executing them", async () => {
    const limited = await startHarness({ env: { GRAPHQL_MAX_DEPTH: "2", GRAPHQL_MAX_COST: "30" } });
    try {
      const t = await limited.tenant();
      const m = await t.member();
      const ok = await limited.gql("query($id: UUID!) { user(userId: $id) { userId } }", { id: m.userId }, { key: t.key });
      expect(ok.body.errors).toBeUndefined();
      const deep = await limited.gql("query($id: UUID!) { healthProfile(userId: $id) { profile { name } } }", { id: m.userId }, { key: t.key });
      expect(deep.body.errors[0].extensions.code).toBe("invalid_request");
      const costly = await limited.gql(
        `query($id: UUID!) { ${Array.from({ length: 12 }, (_, i) => `p${i}: user(userId: $id) { userId createdAt updatedAt }`).join(" ")} }`,
        { id: m.userId },
        { key: t.key },
      );
      expect(costly.body.errors[0].extensions.code).toBe("invalid_request");
    } finally {
      await limited.stop();
    }
  });
});

describe("production hardening", () => {
  it("turns off introspection and field suggestions when NODE_ENV=production", async () => {
    const prod = await startHarness({ env: { NODE_ENV: "production", MASTER_KEY: crypto.randomBytes(32).toString("base64"), DATABASE_URL: "postgres://unused" } });
    try {
      const t = await prod.tenant();
      const intro = await prod.gql("{ __schema { queryType { name } } }", {}, { key: t.key });
      expect(intro.body.errors[0].extensions.code).toBe("invalid_request");
      const typo = await prod.gql("{ userz { pagination { total } } }", {}, { key: t.key });
      expect(typo.body.errors[0].message).not.toMatch(/Did you mean/);
    } finally {
      await prod.stop();
    }
  });
});

describe("metrics and devices on User", () => {
  const TS = `query($id: UUID!, $m: String!, $s: DateTime!, $e: DateTime!, $g: TimeseriesGranularity) {
    user(userId: $id) { timeseries(metric: $m, startTime: $s, endTime: $e, granularity: $g, limit: 10) {
      __typename ... on TimeseriesValuePoint { start end value unit } ... on BloodPressurePoint { start systolic diastolic } } } }`;

  it("reads User.timeseries through the timeseries service, as GET …/metrics/{metric}/timeseries does", async () => {
    const t = await h.tenant();
    const m = await t.member();
    const data = [
      ["2026-03-16T08:00:00Z", 60],
      ["2026-03-16T08:30:00Z", 70],
      ["2026-03-16T09:10:00Z", 80],
    ].map(([timestamp, value]) => ({ timestamp, value, unit: "bpm" }));
    await h.req("POST", `/v1/users/${m.userId}/metrics/heart_rate/timeseries`, { token: m.token, body: { data } });
    const vars = { id: m.userId, m: "heart_rate", s: "2026-03-16T08:00:00Z", e: "2026-03-16T10:00:00Z", g: "one_hour" };
    const res = await h.gql(TS, vars, { token: m.token });
    expect(res.body).toEqual({
      data: {
        user: {
          timeseries: [
            { __typename: "TimeseriesValuePoint", start: "2026-03-16T08:00:00Z", end: "2026-03-16T09:00:00Z", value: 65, unit: "bpm" },
            { __typename: "TimeseriesValuePoint", start: "2026-03-16T09:00:00Z", end: "2026-03-16T10:00:00Z", value: 80, unit: "bpm" },
          ],
        },
      },
    });
    const rest = await h.req("GET", `/v1/users/${m.userId}/metrics/heart_rate/timeseries?start_time=${vars.s}&end_time=${vars.e}&granularity=one_hour`, {
      token: m.token,
    });
    expect(rest.body.data).toEqual(res.body.data.user.timeseries.map(({ __typename, ...p }: Record<string, unknown>) => p));
    // The tenant key reads the same; an unknown metric and a bad window carry the usual codes.
    expect((await h.gql(TS, vars, { key: t.key })).body.data).toEqual(res.body.data);
    expect((await h.gql(TS, { ...vars, m: "ecg" }, { token: m.token })).body.errors[0].extensions.code).toBe("not_found");
    expect((await h.gql(TS, { ...vars, e: vars.s }, { token: m.token })).body.errors[0].extensions.code).toBe("validation_error");
  });

  it("lists User.devices like GET …/devices, for many members in a constant number of SQL statements", async () => {
    const statements: string[] = [];
    const counted = await startHarness({ onQuery: (s: string) => statements.push(s) });
    try {
      const t = await counted.tenant();
      const addMember = async (platforms: string[]) => {
        const m = await t.member();
        for (const platform of platforms) {
          const res = await counted.req("POST", `/v1/users/${m.userId}/devices/actions/register`, { token: m.token, body: { platform } });
          expect(res.status).toBe(200);
        }
        return m;
      };
      const measure = async () => {
        statements.length = 0;
        const res = await counted.gql("{ users(limit: 100) { items { userId devices { providerSlug deviceName connectedAt lastSyncAt status } } } }", {}, { key: t.key });
        expect(res.body.errors).toBeUndefined();
        return { users: res.body.data.users.items as { userId: string; devices: unknown[] }[], sql: statements.length };
      };
      const first = await addMember(["apple_health_kit", "health_connect"]);
      await addMember([]);
      const small = await measure();
      for (let i = 0; i < 10; i++) await addMember(i % 2 ? ["health_connect"] : ["apple_health_kit"]);
      const large = await measure();
      expect(large.users).toHaveLength(12);
      expect(large.sql).toBe(small.sql);

      const mine = large.users.find((u) => u.userId === first.userId)!;
      const rest = await counted.req("GET", `/v1/users/${first.userId}/devices`, { token: first.token });
      const snake = (d: Record<string, unknown>) => Object.fromEntries(Object.entries(d).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]));
      expect(mine.devices.map((d) => snake(d as Record<string, unknown>))).toEqual(rest.body.data);
      expect(rest.body.data.map((d: { provider_slug: string }) => d.provider_slug)).toEqual(["apple_health", "health_connect"]);
      // A member token sees only its own devices; another member's id is not_found.
      const own = await counted.gql("query($id: UUID!) { user(userId: $id) { devices { providerSlug } } }", { id: first.userId }, { token: first.token });
      expect(own.body.data.user.devices).toEqual([{ providerSlug: "apple_health" }, { providerSlug: "health_connect" }]);
      const other = large.users.find((u) => u.userId !== first.userId)!;
      const denied = await counted.gql("query($id: UUID!) { user(userId: $id) { devices { providerSlug } } }", { id: other.userId }, { token: first.token });
      expect(denied.body.errors[0].extensions.code).toBe("not_found");
    } finally {
      await counted.stop();
    }
  });
});
