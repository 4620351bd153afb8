import { expectError, startHarness, type Harness } from "../helpers/harness";

let h: Harness;
beforeAll(async () => (h = await startHarness({ env: { RATE_LIMIT_MEMBER_PER_MINUTE: "3", RATE_LIMIT_TENANT_PER_MINUTE: "50" } })));
afterAll(() => h.stop());

describe("rate limits", () => {
  it("answers 429 rate_limited with Retry-After once a member's budget is spent, without affecting other members", async () => {
    const t = await h.tenant();
    const a = await t.member();
    const b = await t.member();
    const seen: number[] = [];
    for (let i = 0; i < 4; i++) seen.push((await h.req("GET", `/v1/users/${a.userId}`, { token: a.token })).status);
    expect(seen).toEqual([200, 200, 200, 429]);
    const limited = await h.req("GET", `/v1/users/${a.userId}`, { token: a.token });
    expectError(limited, 429, "rate_limited");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(limited.headers.get("x-ratelimit-remaining")).toBe("0");
    expect((await h.req("GET", `/v1/users/${b.userId}`, { token: b.token })).status).toBe(200);
  });

  it("counts GraphQL calls against the same budget", async () => {
    const t = await h.tenant();
    const m = await t.member();
    for (let i = 0; i < 3; i++) await h.req("GET", `/v1/users/${m.userId}`, { token: m.token });
    const res = await h.gql("query($id: UUID!) { user(userId: $id) { userId } }", { id: m.userId }, { token: m.token });
    expect(res.status).toBe(429);
    expect(res.body.errors[0].extensions.code).toBe("rate_limited");
  });
});
