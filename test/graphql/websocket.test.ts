import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { startHarness, type Harness } from "../helpers/harness";

let h: Harness;
beforeAll(async () => (h = await startHarness()));
afterAll(() => h.stop());

function wsQuery(connectionParams: Record<string, unknown>, query: string, variables: Record<string, unknown>) {
  const client = createClient({ url: h.baseUrl.replace("http", "ws") + "/graphql", webSocketImpl: WebSocket, connectionParams, retryAttempts: 0, lazy: true });
  return new Promise<{ data?: any; errors?: any; closed?: number }>((resolve) => {
    let result: { data?: any; errors?: any } = {};
    client.subscribe(
      { query, variables },
      {
        next: (v) => (result = v as typeof result),
        error: (e) => resolve({ closed: (e as { code?: number }).code ?? -1, errors: Array.isArray(e) ? e : undefined }),
        complete: () => resolve(result),
      },
    );
  }).finally(() => client.dispose());
}

describe("graphql-ws on /graphql shares createContext()", () => {
  it("authenticates from connectionParams and scopes the member to their own data", async () => {
    const t = await h.tenant();
    const a = await t.member({ name: "Wes" });
    const b = await t.member();
    const own = await wsQuery({ authorization: `Bearer ${a.token}` }, "query($id: UUID!) { user(userId: $id) { profile { name } } }", { id: a.userId });
    expect(own.data).toEqual({ user: { profile: { name: "Wes" } } });
    const other = await wsQuery({ authorization: `Bearer ${a.token}` }, "query($id: UUID!) { user(userId: $id) { userId } }", { id: b.userId });
    expect(other.errors?.[0]?.extensions?.code).toBe("not_found");
    const tenant = await wsQuery({ "taih-tenant-key": t.key }, "{ users { pagination { total } } }", {});
    expect(tenant.data).toEqual({ users: { pagination: { total: 2 } } });
  });

  it("refuses a connection with an invalid credential", async () => {
    const res = await wsQuery({ "taih-tenant-key": "ak_sandbox_0000000000000000.bogus" }, "{ users { pagination { total } } }", {});
    expect(res.data).toBeUndefined();
    expect(res.closed).toBe(4403);
  });
});

describe("/graphql transport errors", () => {
  it("answers malformed JSON with 400 and a GraphQL-shaped error", async () => {
    const res = await h.req("POST", "/graphql", { rawBody: "{", headers: { "content-type": "application/json" } });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe("invalid_request");
  });
});
