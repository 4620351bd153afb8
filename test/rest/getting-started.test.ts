import crypto from "node:crypto";
import { startHarness, type Harness } from "../helpers/harness";

let h: Harness;
beforeAll(async () => (h = await startHarness()));
afterAll(() => h.stop());

describe("a partner's first day (docs getting-started)", () => {
  it("creates a member, mints a token and makes member-scoped calls", async () => {
    const tenant = await h.tenant();
    const userId = crypto.randomUUID();

    const created = await h.req("POST", "/v1/users", { key: tenant.key, body: { user_id: userId, first_name: "Ada", last_name: "Lovelace", email: "ada@example.com" } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ data: { user_id: userId } });

    const minted = await h.req("POST", "/v1/auth/token", { key: tenant.key, body: { user_id: userId } });
    expect(minted.status).toBe(200);
    expect(minted.body).toEqual({ data: { access_token: expect.any(String), token_type: "Bearer", expires_in: 3600 } });

    const token = minted.body.data.access_token;
    const user = await h.req("GET", `/v1/users/${userId}`, { token });
    expect(user.status).toBe(200);
    expect(user.body).toEqual({
      data: {
        user_id: userId,
        profile: {
          name: "Ada Lovelace",
          email: "ada@example.com",
          phone: null,
          timezone: null,
          birthday: null,
          weight: null,
          weight_unit: null,
          height: null,
          height_unit: null,
          preferences: null,
          pre_existing_conditions: null,
          gender: null,
          ethnicity: null,
        },
      },
    });

    const profile = await h.req("GET", `/v1/users/${userId}/health-profile`, { token });
    expect(profile.status).toBe(200);
    expect(profile.body.data).toEqual({
      user_id: userId,
      profile: user.body.data.profile,
      location: null,
      privacy: { conversation_recording_opt_in: false },
      connected_devices: [],
    });
  });

  it("mints tokens whose public claims are sub, org_id and scope with a 3600 s lifetime", async () => {
    const tenant = await h.tenant();
    const m = await tenant.member();
    const claims = JSON.parse(Buffer.from(m.token.split(".")[1], "base64url").toString());
    expect(claims).toMatchObject({ sub: m.userId, org_id: tenant.orgId, scope: "member" });
    expect(claims.exp - claims.iat).toBe(3600);
  });

  it("returns 404 when minting a token for an unknown user", async () => {
    const tenant = await h.tenant();
    const res = await h.req("POST", "/v1/auth/token", { key: tenant.key, body: { user_id: crypto.randomUUID() } });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("not_found");
  });
});
