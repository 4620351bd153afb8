import crypto from "node:crypto";
import { startHarness, type Harness } from "../helpers/harness";

let h: Harness;
beforeAll(async () => (h = await startHarness()));
afterAll(() => h.stop());

const PROFILE = "query($id: UUID!) { healthProfile(userId: $id) { userId profile { name timezone weightUnit } privacy { conversationRecordingOptIn } connectedDevices { providerSlug } } }";

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
      userId, profile: { name: "Gq", timezone: "Asia/Tokyo", weightUnit: "lb" }, privacy: { conversationRecordingOptIn: false }, connectedDevices: [],
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
