import { startHarness, type Harness } from "../helpers/harness";

let h: Harness;
beforeAll(async () => (h = await startHarness()));
afterAll(() => h.stop());

const CREATE_INVITE = "mutation($i: CreateInviteInput!) { createInvite(input: $i) { id status inviteUrl } }";
const ACCEPT = "mutation($i: AcceptInviteInput!) { acceptInvite(input: $i) { email scope name } }";

describe("partner management over GraphQL", () => {
  it("runs invite → anonymous accept → org.memberCount with the same rules as REST", async () => {
    const t = await h.tenant();
    const created = await h.gql(CREATE_INVITE, { i: { email: "Ops@Example.com", scope: "viewer" } }, { key: t.key });
    expect(created.body.data.createInvite).toMatchObject({ status: "pending" });
    const token = new URL(created.body.data.createInvite.inviteUrl, "http://placeholder").searchParams.get("token");
    const accepted = await h.gql(ACCEPT, { i: { token, name: "Ops" } });
    expect(accepted.body).toEqual({ data: { acceptInvite: { email: "ops@example.com", scope: "viewer", name: "Ops" } } });
    const org = await h.gql("{ org { id memberCount } }", {}, { key: t.key });
    expect(org.body.data.org).toEqual({ id: t.orgId, memberCount: 1 });
    const again = await h.gql(ACCEPT, { i: { token } });
    expect(again.body.errors[0].extensions.code).toBe("not_found");
  });

  it("keeps secrets out of list types and refuses member tokens", async () => {
    const t = await h.tenant();
    const key = await h.gql('mutation { createTenantKey(input: { name: "gql" }) { id secret isCurrent } }', {}, { key: t.key });
    expect(key.body.data.createTenantKey).toMatchObject({ secret: expect.stringMatching(/^ak_sandbox_/), isCurrent: false });
    const noSecret = await h.gql("{ tenantKeys { items { secret } } }", {}, { key: t.key });
    expect(noSecret.body.errors[0].extensions.code).toBe("invalid_request");
    const noUrl = await h.gql("{ invites { items { inviteUrl } } }", {}, { key: t.key });
    expect(noUrl.body.errors[0].extensions.code).toBe("invalid_request");

    const m = await t.member();
    for (const q of ["{ org { id } }", "{ orgMembers { pagination { total } } }", "{ invites { pagination { total } } }", "{ tenantKeys { pagination { total } } }"]) {
      expect((await h.gql(q, {}, { token: m.token })).body.errors[0].extensions.code).toBe("forbidden");
      expect((await h.gql(q)).body.errors[0].extensions.code).toBe("unauthorized");
    }
  });

  it("rejects id and key in updateOrg with immutable_field", async () => {
    const t = await h.tenant();
    const res = await h.gql('mutation { updateOrg(input: { key: "x", name: "Y" }) { name } }', {}, { key: t.key });
    expect(res.body.errors[0].extensions).toMatchObject({ code: "immutable_field", details: [{ field: "key", code: "immutable_field" }] });
  });
});
