import { expectError, startHarness, type Harness } from "../helpers/harness";

let h: Harness;
beforeAll(async () => (h = await startHarness()));
afterAll(() => h.stop());

describe("isolation between members and partners", () => {
  it("returns 404 for member A's token on member B's paths", async () => {
    const t = await h.tenant();
    const a = await t.member();
    const b = await t.member();
    for (const [method, path, body] of [
      ["GET", `/v1/users/${b.userId}`, undefined],
      ["PATCH", `/v1/users/${b.userId}`, { name: "x" }],
      ["DELETE", `/v1/users/${b.userId}`, undefined],
      ["GET", `/v1/users/${b.userId}/health-profile`, undefined],
      ["GET", `/v1/users/${b.userId}/privacy-settings`, undefined],
      ["PATCH", `/v1/users/${b.userId}/privacy-settings`, { conversation_recording_opt_in: true }],
      ["GET", `/v1/users/${b.userId}/jobs/${a.userId}`, undefined],
    ] as const) {
      expectError(await h.req(method, path, { token: a.token, body }), 404, "not_found");
    }
    // B is untouched.
    const still = await h.req("GET", `/v1/users/${b.userId}`, { token: b.token });
    expect(still.status).toBe(200);
  });

  it("returns 404 for tenant X's key on tenant Y's member", async () => {
    const x = await h.tenant();
    const y = await h.tenant();
    const ym = await y.member();
    expectError(await h.req("POST", "/v1/auth/token", { key: x.key, body: { user_id: ym.userId } }), 404, "not_found");
    const list = await h.req("GET", "/v1/users", { key: x.key });
    expect(list.body.data.map((u: any) => u.user_id)).not.toContain(ym.userId);
  });

  it("lets two partners register the same user_id independently", async () => {
    const x = await h.tenant();
    const y = await h.tenant();
    const xm = await x.member({ name: "X's member" });
    const again = await h.req("POST", "/v1/users", { key: y.key, body: { user_id: xm.userId } });
    expect(again.status).toBe(201);
    const tok = await h.req("POST", "/v1/auth/token", { key: y.key, body: { user_id: xm.userId } });
    const yView = await h.req("GET", `/v1/users/${xm.userId}`, { token: tok.body.data.access_token });
    expect(yView.body.data.profile.name).toBeNull();
    const xView = await h.req("GET", `/v1/users/${xm.userId}`, { token: xm.token });
    expect(xView.body.data.profile.name).toBe("X's member");
  });

  it("keeps isolation over GraphQL: another member's id is not_found", async () => {
    const t = await h.tenant();
    const a = await t.member();
    const b = await t.member();
    const res = await h.gql("query($id: UUID!) { user(userId: $id) { userId } }", { id: b.userId }, { token: a.token });
    expect(res.body.data).toBeNull();
    expect(res.body.errors[0].extensions.code).toBe("not_found");
  });
});
