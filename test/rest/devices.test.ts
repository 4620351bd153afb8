import crypto from "node:crypto";
import { BackfillStatus, DeviceConnection, DeviceConnectionStatus } from "../../entities/devices/device-connection.entity";
import { User } from "../../entities/users/user.entity";
import { DeviceLinkToken } from "../../entities/devices/device-link-token.entity";
import { OAuthLinkState } from "../../entities/devices/oauth-link-state.entity";
import { freshAccessToken, purgeExpiredDeviceLinks, purgeProviderData } from "../../resolvers/devices";
import type { IdempotencyStore } from "../../server/http/idempotency";
import { maintenanceTasks } from "../../server/app";
import { expectError, startHarness, waitFor, type Harness, type TestMember } from "../helpers/harness";

const CALLBACK_URL = "https://api.thrive.test/v1/devices/oauth/callback";
const PARTNER_REDIRECT = "https://partner.example/devices/linked?session=abc";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    runWorkers: true,
    env: {
      OAUTH_CALLBACK_URL: CALLBACK_URL,
      OAUTH_PROVIDERS_JSON: JSON.stringify({
        // Built-in public endpoints, operator-supplied client: enough to build real authorization URLs.
        fitbit: { clientId: "fitbit-client", clientSecret: "fitbit-secret" },
        // A token endpoint nobody listens on: the code exchange fails.
        oura: { clientId: "oura-client", clientSecret: "oura-secret", tokenUrl: "http://127.0.0.1:1/oauth/token" },
      }),
    },
  });
});
afterAll(() => h.stop());

const sql = <T = Record<string, unknown>>(q: string, params: unknown[] = []) => h.em().getConnection().execute<T[]>(q, params);
const sha256 = (v: string) => crypto.createHash("sha256").update(v).digest("hex");

async function member() {
  const t = await h.tenant();
  return { t, m: await t.member() };
}

async function linkToken(m: TestMember, provider = "fitbit", redirectUri = PARTNER_REDIRECT) {
  const res = await h.req("POST", `/v1/users/${m.userId}/devices/auth/token`, { token: m.token, body: { provider_slug: provider, redirect_uri: redirectUri } });
  expect(res.status).toBe(200);
  return res.body.data.token as string;
}

async function oauthState(m: TestMember, provider = "fitbit") {
  const token = await linkToken(m, provider);
  const res = await h.req("GET", `/v1/devices/${provider}/oauth-url?link_token=${token}`);
  expect(res.status).toBe(200);
  return new URL(res.body.data.oauth_url).searchParams.get("state")!;
}

const status = (m: TestMember, provider: string) => h.req("GET", `/v1/users/${m.userId}/devices/${provider}/status`, { token: m.token });

const backfillDone = (m: TestMember, provider: string) =>
  waitFor(async () => {
    const res = await status(m, provider);
    return res.body.data.backfill.status === "completed" ? res : undefined;
  });

describe("provider catalogue", () => {
  it("lists providers without credentials, 10 per page by default, with the documented fields", async () => {
    const res = await h.req("GET", "/v1/devices");
    expect(res.status).toBe(200);
    expect(res.body.pagination).toEqual({ limit: 10, offset: 0, total: 10 });
    expect(res.body.data).toHaveLength(10);
    for (const p of res.body.data) {
      expect(Object.keys(p).sort()).toEqual(["auth_type", "description", "logo", "name", "slug", "supported_resources"]);
      expect(["oauth", "credentials", "native"]).toContain(p.auth_type);
      expect(p.supported_resources.length).toBeGreaterThan(0);
    }
    const slugs = res.body.data.map((p: { slug: string }) => p.slug);
    expect(slugs).toEqual(expect.arrayContaining(["apple_health", "health_connect", "fitbit", "garmin", "oura", "withings", "whoop", "polar"]));
    expect(res.body.data.find((p: { slug: string }) => p.slug === "apple_health")).toMatchObject({ name: "Apple Health", auth_type: "native" });
    expect(res.body.data.find((p: { slug: string }) => p.slug === "fitbit").auth_type).toBe("oauth");
    expect(new Set(res.body.data.map((p: { auth_type: string }) => p.auth_type))).toEqual(new Set(["oauth", "credentials", "native"]));
  });

  it("paginates (max 200) and still checks a credential that is sent", async () => {
    const page = await h.req("GET", "/v1/devices?limit=3&offset=8");
    expect(page.body.data).toHaveLength(2);
    expect(page.body.pagination).toEqual({ limit: 3, offset: 8, total: 10 });
    expect((await h.req("GET", "/v1/devices?limit=200")).status).toBe(200);
    expectError(await h.req("GET", "/v1/devices?limit=201"), 422, "validation_error");
    expectError(await h.req("GET", "/v1/devices?limit=0"), 422, "validation_error");
    const { t, m } = await member();
    expect((await h.req("GET", "/v1/devices", { key: t.key })).status).toBe(200);
    expect((await h.req("GET", "/v1/devices", { token: m.token })).status).toBe(200);
    expectError(await h.req("GET", "/v1/devices", { token: "not-a-token" }), 401, "unauthorized");
  });
});

describe("provider catalogue caching", () => {
  it("sends Cache-Control and a strong ETag, and answers a current If-None-Match with 304 and no body", async () => {
    const first = await h.req("GET", "/v1/devices");
    expect(first.status).toBe(200);
    expect(first.headers.get("cache-control")).toBe("private, max-age=300");
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    const again = await h.req("GET", "/v1/devices", { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    expect(again.text).toBe("");
    expect(again.headers.get("etag")).toBe(etag);
    expect((await h.req("GET", "/v1/devices", { headers: { "if-none-match": `"stale", W/${etag}` } })).status).toBe(304);
    expect((await h.req("GET", "/v1/devices", { headers: { "if-none-match": "*" } })).status).toBe(304);
    expect((await h.req("GET", "/v1/devices", { headers: { "if-none-match": '"stale"' } })).status).toBe(200);
    // Another page is another representation with its own tag.
    const page2 = await h.req("GET", "/v1/devices?limit=2", { headers: { "if-none-match": etag } });
    expect(page2.status).toBe(200);
    expect(page2.headers.get("etag")).not.toBe(etag);
  });

  it("documents the 304, the validators and If-None-Match in the OpenAPI document", async () => {
    const doc = (await h.req("GET", "/v1/openapi.json")).body;
    const op = doc.paths["/v1/devices"].get;
    expect(Object.keys(op.responses)).toContain("304");
    expect(Object.keys(op.responses["200"].headers)).toEqual(["ETag", "Cache-Control"]);
    expect(op.parameters.map((p: { name?: string }) => p.name)).toContain("If-None-Match");
  });
});

describe("link tokens and OAuth URLs", () => {
  it("issues a 10-minute link token and stores only its SHA-256", async () => {
    const { m } = await member();
    const before = Date.now();
    const res = await h.req("POST", `/v1/users/${m.userId}/devices/auth/token`, { token: m.token, body: { provider_slug: "fitbit", redirect_uri: PARTNER_REDIRECT } });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.data).sort()).toEqual(["expires_at", "token"]);
    expect(res.body.data.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const ttl = Date.parse(res.body.data.expires_at) - before;
    expect(ttl).toBeGreaterThan(9 * 60_000);
    expect(ttl).toBeLessThanOrEqual(10 * 60_000 + 1000);
    const rows = await sql("select * from device_link_tokens where token_hash = ?", [sha256(res.body.data.token)]);
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(res.body.data.token);
  });

  it("validates the provider and redirect_uri", async () => {
    const { m } = await member();
    const post = (body: unknown) => h.req("POST", `/v1/users/${m.userId}/devices/auth/token`, { token: m.token, body });
    expectError(await post({ provider_slug: "nokia_sports", redirect_uri: PARTNER_REDIRECT }), 404, "not_found");
    const native = await post({ provider_slug: "apple_health", redirect_uri: PARTNER_REDIRECT });
    expectError(native, 422, "validation_error");
    expect(native.body.error.details).toEqual([expect.objectContaining({ field: "provider_slug", code: "invalid_value" })]);
    for (const bad of ["javascript:alert(1)", "not a url", "https://partner.example/#frag", "/relative"]) {
      const res = await post({ provider_slug: "fitbit", redirect_uri: bad });
      expectError(res, 422, "validation_error");
      expect(res.body.error.details).toEqual([expect.objectContaining({ field: "redirect_uri", code: "invalid_value" })]);
    }
    const missing = await post({ provider_slug: "fitbit" });
    expectError(missing, 422, "validation_error");
    expect(missing.body.error.details).toEqual([expect.objectContaining({ field: "redirect_uri", code: "required" })]);
    expect((await post({ provider_slug: "fitbit", redirect_uri: "com.partner.app://devices/linked" })).status).toBe(200);
  });

  it("answers 409 provider_not_configured for an OAuth provider without client credentials", async () => {
    const { m } = await member();
    const res = await h.req("POST", `/v1/users/${m.userId}/devices/auth/token`, { token: m.token, body: { provider_slug: "withings", redirect_uri: PARTNER_REDIRECT } });
    expectError(res, 409, "provider_not_configured");
    expectError(await h.req("GET", "/v1/devices/withings/oauth-url?link_token=anything"), 409, "provider_not_configured");
  });

  it("builds a real authorization URL with state and PKCE (S256), without credentials", async () => {
    const { m } = await member();
    const token = await linkToken(m);
    const res = await h.req("GET", `/v1/devices/fitbit/oauth-url?link_token=${token}`);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.data)).toEqual(["oauth_url"]);
    const url = new URL(res.body.data.oauth_url);
    expect(url.origin + url.pathname).toBe("https://www.fitbit.com/oauth2/authorize");
    const q = Object.fromEntries(url.searchParams);
    expect(q).toEqual({
      response_type: "code",
      client_id: "fitbit-client",
      redirect_uri: CALLBACK_URL,
      scope: "activity heartrate sleep weight profile",
      state: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      code_challenge_method: "S256",
    });
    // Only the state's hash is stored; the verifier is ciphertext whose S256 is the challenge.
    const [row] = await sql<{ code_verifier_enc: string; redirect_uri: string }>("select code_verifier_enc, redirect_uri from device_oauth_states where state_hash = ?", [
      sha256(q.state),
    ]);
    expect(row.redirect_uri).toBe(PARTNER_REDIRECT);
    const verifier = h.app.deps.secretBox.decrypt(row.code_verifier_enc);
    expect(row.code_verifier_enc).not.toContain(verifier);
    expect(crypto.createHash("sha256").update(verifier).digest("base64url")).toBe(q.code_challenge);
  });

  it("answers 404 for a used, expired, unknown or other-provider link token (the wrong provider does not consume it)", async () => {
    const { m } = await member();
    const token = await linkToken(m);
    expectError(await h.req("GET", `/v1/devices/oura/oauth-url?link_token=${token}`), 404, "not_found");
    expect((await h.req("GET", `/v1/devices/fitbit/oauth-url?link_token=${token}`)).status).toBe(200);
    expectError(await h.req("GET", `/v1/devices/fitbit/oauth-url?link_token=${token}`), 404, "not_found");
    expectError(await h.req("GET", "/v1/devices/fitbit/oauth-url?link_token=unknown"), 404, "not_found");
    const expired = await linkToken(m);
    await sql("update device_link_tokens set expires_at = now() - interval '1 second' where token_hash = ?", [sha256(expired)]);
    expectError(await h.req("GET", `/v1/devices/fitbit/oauth-url?link_token=${expired}`), 404, "not_found");
    expectError(await h.req("GET", `/v1/devices/nokia_sports/oauth-url?link_token=${token}`), 404, "not_found");
    expectError(await h.req("GET", "/v1/devices/apple_health/oauth-url?link_token=x"), 404, "not_found");
    const missing = await h.req("GET", "/v1/devices/fitbit/oauth-url");
    expectError(missing, 422, "validation_error");
    expect(missing.body.error.details).toEqual([expect.objectContaining({ field: "link_token", code: "required" })]);
  });
});

describe("OAuth callback", () => {
  it("sends a declined consent back to the partner and spends the state", async () => {
    const { m } = await member();
    const state = await oauthState(m);
    const res = await h.req("GET", `/v1/devices/oauth/callback?state=${state}&error=access_denied&error_description=The+user+said+no`);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ status: "error", provider_slug: "fitbit", redirect_to: expect.any(String) });
    const to = new URL(res.body.data.redirect_to);
    expect(to.origin + to.pathname).toBe("https://partner.example/devices/linked");
    expect(Object.fromEntries(to.searchParams)).toEqual({ session: "abc", status: "error", provider: "fitbit", error: "access_denied" });
    expectError(await h.req("GET", `/v1/devices/oauth/callback?state=${state}&code=abc`), 404, "not_found");
    expect((await status(m, "fitbit")).body.data.connection.status).toBe("disconnected");
  });

  it("reports a failed code exchange without linking", async () => {
    const { m } = await member();
    const state = await oauthState(m, "oura");
    const res = await h.req("GET", `/v1/devices/oauth/callback?code=some-code&state=${state}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ status: "error", provider_slug: "oura" });
    expect(new URL(res.body.data.redirect_to).searchParams.get("error")).toBe("provider_unreachable");
    expect((await status(m, "oura")).body.data.connection.status).toBe("disconnected");
  });

  it("answers 404 for an unknown state and validates its parameters", async () => {
    expectError(await h.req("GET", "/v1/devices/oauth/callback?code=abc&state=unknown"), 404, "not_found");
    expectError(await h.req("GET", "/v1/devices/oauth/callback?code=abc"), 422, "validation_error");
    expectError(await h.req("GET", "/v1/devices/oauth/callback?state=x&code=abc&extra=1"), 400, "invalid_request");
  });

  it("consumes a state once: an expired one is 404", async () => {
    const { m } = await member();
    const state = await oauthState(m);
    await sql("update device_oauth_states set expires_at = now() - interval '1 second' where state_hash = ?", [sha256(state)]);
    expectError(await h.req("GET", `/v1/devices/oauth/callback?code=abc&state=${state}`), 404, "not_found");
  });
});

describe("native platforms", () => {
  it("registers Apple Health, starts a backfill and reports it completed", async () => {
    const { m } = await member();
    const res = await h.req("POST", `/v1/users/${m.userId}/devices/actions/register`, { token: m.token, body: { platform: "apple_health_kit" } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { provider_slug: "apple_health", health_data_user_id: expect.any(String), backfill_status: "pending" } });
    const hdu = res.body.data.health_data_user_id;
    expect(hdu).toMatch(/^[0-9a-f-]{36}$/);
    expect(hdu).not.toBe(m.userId);
    const [internal] = await sql<{ id: string }>("select id from users where partner_user_id = ?", [m.userId]);
    expect(hdu).not.toBe(internal.id);

    const done = await backfillDone(m, "apple_health");
    expect(done.status).toBe(200);
    const d = done.body.data;
    expect(Object.keys(d).sort()).toEqual(["backfill", "connection", "data_freshness", "name", "slug"]);
    expect(d.slug).toBe("apple_health");
    expect(d.name).toBe("Apple Health");
    expect(d.connection).toEqual({ status: "connected", connected_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/), error: null });
    expect(d.backfill).toEqual({ status: "completed", started_at: expect.any(String), completed_at: expect.any(String), error: null });
    expect(d.data_freshness.last_data_received_at).toBeNull();
    expect(Object.keys(d.data_freshness.by_resource).sort()).toEqual(["activity", "body", "calories", "heart_rate", "hrv", "sleep", "steps", "workouts"]);
    expect(d.data_freshness.by_resource.sleep).toEqual({ status: "unavailable", last_data_at: null });

    const again = await h.req("POST", `/v1/users/${m.userId}/devices/actions/register`, { token: m.token, body: { platform: "apple_health_kit" } });
    expect(again.body.data).toEqual({ provider_slug: "apple_health", health_data_user_id: hdu, backfill_status: "pending" });
    const hc = await h.req("POST", `/v1/users/${m.userId}/devices/actions/register`, { token: m.token, body: { platform: "health_connect" } });
    expect(hc.body.data.provider_slug).toBe("health_connect");
    expect(hc.body.data.health_data_user_id).not.toBe(hdu);
  });

  it("rejects an unknown platform with 422", async () => {
    const { m } = await member();
    const res = await h.req("POST", `/v1/users/${m.userId}/devices/actions/register`, { token: m.token, body: { platform: "garmin_watch" } });
    expectError(res, 422, "validation_error");
    expect(res.body.error.details).toEqual([expect.objectContaining({ field: "platform", code: "invalid_value" })]);
    expectError(await h.req("POST", `/v1/users/${m.userId}/devices/actions/register`, { token: m.token, body: {} }), 422, "validation_error");
  });
});

describe("member devices", () => {
  it("lists the member's links with the documented fields (limit 10 by default, max 200)", async () => {
    const { m } = await member();
    const empty = await h.req("GET", `/v1/users/${m.userId}/devices`, { token: m.token });
    expect(empty.body).toEqual({ data: [], pagination: { limit: 10, offset: 0, total: 0 } });
    await h.req("POST", `/v1/users/${m.userId}/devices/actions/register`, { token: m.token, body: { platform: "apple_health_kit" } });
    await h.req("POST", `/v1/users/${m.userId}/devices/actions/register`, { token: m.token, body: { platform: "health_connect" } });
    const res = await h.req("GET", `/v1/users/${m.userId}/devices`, { token: m.token });
    expect(res.status).toBe(200);
    expect(res.body.pagination).toEqual({ limit: 10, offset: 0, total: 2 });
    expect(res.body.data.map((d: { provider_slug: string }) => d.provider_slug)).toEqual(["apple_health", "health_connect"]);
    expect(res.body.data[0]).toEqual({
      provider_slug: "apple_health",
      device_name: "Apple Health",
      connected_at: expect.any(String),
      last_sync_at: res.body.data[0].last_sync_at,
      status: "connected",
    });
    expect(Object.keys(res.body.data[0]).sort()).toEqual(["connected_at", "device_name", "last_sync_at", "provider_slug", "status"]);
    expect((await h.req("GET", `/v1/users/${m.userId}/devices?limit=200`, { token: m.token })).status).toBe(200);
    expectError(await h.req("GET", `/v1/users/${m.userId}/devices?limit=201`, { token: m.token }), 422, "validation_error");
  });

  it("reads a supported provider without a link as disconnected, an unknown one as 404", async () => {
    const { m } = await member();
    const res = await status(m, "garmin");
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      slug: "garmin",
      name: "Garmin",
      connection: { status: "disconnected", connected_at: null, error: null },
      backfill: { status: null, started_at: null, completed_at: null, error: null },
    });
    expectError(await status(m, "nokia_sports"), 404, "not_found");
  });

  it("refresh answers 202 with a job that syncs the connected cloud providers", async () => {
    const { t, m } = await member();
    const em = h.em();
    const user = await em.findOneOrFail(User, { partnerUserId: m.userId, org: t.orgId });
    em.create(DeviceConnection, {
      user,
      providerSlug: "garmin",
      status: DeviceConnectionStatus.connected,
      connectedAt: new Date(),
      backfillStatus: BackfillStatus.completed,
    });
    await em.flush();
    await h.req("POST", `/v1/users/${m.userId}/devices/actions/register`, { token: m.token, body: { platform: "apple_health_kit" } });
    const res = await h.req("POST", `/v1/users/${m.userId}/devices/actions/refresh`, { token: m.token });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ data: { job_id: expect.stringMatching(/^[0-9a-f-]{36}$/), status: "accepted" } });
    const job = await waitFor(async () => {
      const j = await h.req("GET", `/v1/users/${m.userId}/jobs/${res.body.data.job_id}`, { token: m.token });
      return j.body.data.status === "completed" ? j : undefined;
    });
    expect(job.body.data.result).toEqual({ refreshed_providers: ["garmin"], reauth_required_providers: [], failed_providers: [] });
    const list = await h.req("GET", `/v1/users/${m.userId}/devices`, { token: m.token });
    expect(list.body.data.find((d: { provider_slug: string }) => d.provider_slug === "garmin").last_sync_at).toEqual(expect.any(String));
  });

  it("DELETE answers 204, unlinks only that provider, and a second DELETE is 404", async () => {
    const { m } = await member();
    for (const platform of ["apple_health_kit", "health_connect"]) {
      await h.req("POST", `/v1/users/${m.userId}/devices/actions/register`, { token: m.token, body: { platform } });
    }
    const del = await h.req("DELETE", `/v1/users/${m.userId}/devices/apple_health`, { token: m.token });
    expect(del.status).toBe(204);
    expect(del.text).toBe("");
    expect((await status(m, "apple_health")).body.data.connection.status).toBe("disconnected");
    expect((await status(m, "health_connect")).body.data.connection.status).toBe("connected");
    const list = await h.req("GET", `/v1/users/${m.userId}/devices`, { token: m.token });
    expect(list.body.data.map((d: { provider_slug: string }) => d.provider_slug)).toEqual(["health_connect"]);
    expectError(await h.req("DELETE", `/v1/users/${m.userId}/devices/apple_health`, { token: m.token }), 404, "not_found");
    expectError(await h.req("DELETE", `/v1/users/${m.userId}/devices/nokia_sports`, { token: m.token }), 404, "not_found");
  });

  it("purges one member's rows of one provider from the provider data tables", async () => {
    const table = `device_purge_probe_${crypto.randomBytes(4).toString("hex")}`;
    await sql(`create table ${table} (user_id uuid not null, provider text not null)`);
    try {
      const [a, b] = [crypto.randomUUID(), crypto.randomUUID()];
      await sql(`insert into ${table} values (?, 'oura'), (?, 'fitbit'), (?, 'oura')`, [a, a, b]);
      const em = h.em();
      const purged = await em.transactional((tem) => purgeProviderData(tem, a, "oura", [table]));
      expect(purged).toEqual({ [table]: 1 });
      expect(await sql(`select user_id, provider from ${table} order by provider`)).toEqual([
        { user_id: a, provider: "fitbit" },
        { user_id: b, provider: "oura" },
      ]);
    } finally {
      await sql(`drop table ${table}`);
    }
  });

  it("shows the member's links in the health profile", async () => {
    const { m } = await member();
    const before = await h.req("GET", `/v1/users/${m.userId}/health-profile`, { token: m.token });
    expect(before.body.data.connected_devices).toEqual([]);
    await h.req("POST", `/v1/users/${m.userId}/devices/actions/register`, { token: m.token, body: { platform: "health_connect" } });
    const after = await h.req("GET", `/v1/users/${m.userId}/health-profile`, { token: m.token });
    expect(after.body.data.connected_devices).toEqual([{ provider_slug: "health_connect", status: "connected" }]);
  });
});

describe("isolation", () => {
  it("returns 404 for another member's and another partner's devices", async () => {
    const { t, m: a } = await member();
    const b = await t.member();
    const other = await h.tenant();
    await h.req("POST", `/v1/users/${b.userId}/devices/actions/register`, { token: b.token, body: { platform: "apple_health_kit" } });
    const asA = { token: a.token };
    expectError(await h.req("GET", `/v1/users/${b.userId}/devices`, asA), 404, "not_found");
    expectError(await h.req("GET", `/v1/users/${b.userId}/devices/apple_health/status`, asA), 404, "not_found");
    expectError(await h.req("DELETE", `/v1/users/${b.userId}/devices/apple_health`, asA), 404, "not_found");
    expectError(await h.req("POST", `/v1/users/${b.userId}/devices/actions/register`, { ...asA, body: { platform: "health_connect" } }), 404, "not_found");
    expectError(await h.req("POST", `/v1/users/${b.userId}/devices/actions/refresh`, asA), 404, "not_found");
    expectError(
      await h.req("POST", `/v1/users/${b.userId}/devices/auth/token`, { ...asA, body: { provider_slug: "fitbit", redirect_uri: PARTNER_REDIRECT } }),
      404,
      "not_found",
    );
    // Over GraphQL a tenant key reaches its own members only.
    const viaOther = await h.gql("query($u: UUID!) { devices(userId: $u) { items { providerSlug } } }", { u: b.userId }, { key: other.key });
    expect(viaOther.body.errors[0].extensions.code).toBe("not_found");
    const viaOwn = await h.gql("query($u: UUID!) { devices(userId: $u) { items { providerSlug } } }", { u: b.userId }, { key: t.key });
    expect(viaOwn.body.data.devices.items).toEqual([{ providerSlug: "apple_health" }]);
    // Nothing of B's changed.
    expect((await status(b, "apple_health")).body.data.connection.status).toBe("connected");
    expect((await status(b, "health_connect")).body.data.connection.status).toBe("disconnected");
  });

  it("binds a link token to its member: the OAuth state it produces belongs to that member only", async () => {
    const { t, m: a } = await member();
    const b = await t.member();
    const state = await oauthState(a);
    const [row] = await sql<{ partner_user_id: string }>("select u.partner_user_id from device_oauth_states s join users u on u.id = s.user_id where s.state_hash = ?", [
      sha256(state),
    ]);
    expect(row.partner_user_id).toBe(a.userId);
    expect(row.partner_user_id).not.toBe(b.userId);
  });
});

describe("SQL statements", () => {
  it("lists devices and the health profile with a constant number of statements", async () => {
    const statements: string[] = [];
    const counted = await startHarness({ onQuery: (q) => statements.push(q) });
    try {
      const t = await counted.tenant();
      const m = await t.member();
      const measure = async (path: string) => {
        statements.length = 0;
        const res = await counted.req("GET", path, { token: m.token });
        expect(res.status).toBe(200);
        return statements.length;
      };
      await counted.req("POST", `/v1/users/${m.userId}/devices/actions/register`, { token: m.token, body: { platform: "apple_health_kit" } });
      const one = [await measure(`/v1/users/${m.userId}/devices`), await measure(`/v1/users/${m.userId}/health-profile`)];
      await counted.req("POST", `/v1/users/${m.userId}/devices/actions/register`, { token: m.token, body: { platform: "health_connect" } });
      const em = counted.em();
      const user = await em.findOneOrFail(User, { partnerUserId: m.userId, org: t.orgId });
      for (const providerSlug of ["garmin", "oura", "polar"]) em.create(DeviceConnection, { user, providerSlug, status: DeviceConnectionStatus.connected });
      await em.flush();
      const five = [await measure(`/v1/users/${m.userId}/devices`), await measure(`/v1/users/${m.userId}/health-profile`)];
      expect(five).toEqual(one);
    } finally {
      await counted.stop();
    }
  });
});

describe("provider tokens", () => {
  async function linkWithTokens(provider: string, tokens: { access: string; refresh: string | null; expiresInMs: number }) {
    const { t, m } = await member();
    const em = h.em();
    const user = await em.findOneOrFail(User, { partnerUserId: m.userId, org: t.orgId });
    const box = h.app.deps.secretBox;
    const conn = em.create(DeviceConnection, {
      user,
      providerSlug: provider,
      status: DeviceConnectionStatus.connected,
      connectedAt: new Date(),
      backfillStatus: BackfillStatus.completed,
      accessTokenEnc: box.encrypt(tokens.access),
      refreshTokenEnc: tokens.refresh ? box.encrypt(tokens.refresh) : null,
      tokenExpiresAt: new Date(Date.now() + tokens.expiresInMs),
    });
    await em.flush();
    return { m, id: conn.id };
  }
  const reload = (id: string) => h.em().findOneOrFail(DeviceConnection, { id }, { populate: ["accessTokenEnc", "refreshTokenEnc"] });

  it("uses a token that is not due as is, without calling the provider", async () => {
    // Oura's token URL here is unreachable, so any refresh attempt would fail.
    const { id } = await linkWithTokens("oura", { access: "access-live", refresh: "refresh-live", expiresInMs: 5 * 60_000 });
    expect(await freshAccessToken(h.em(), h.app.deps, id)).toEqual({ status: "ok", accessToken: "access-live", refreshed: false });
  });

  it("reports an unreachable token endpoint as a transient failure and keeps the link and its tokens", async () => {
    const { id } = await linkWithTokens("oura", { access: "access-old", refresh: "refresh-old", expiresInMs: -60_000 });
    expect(await freshAccessToken(h.em(), h.app.deps, id)).toEqual({ status: "failed", reason: "provider_unreachable" });
    const c = await reload(id);
    expect(c.status).toBe(DeviceConnectionStatus.connected);
    expect(h.app.deps.secretBox.decrypt(c.refreshTokenEnc!)).toBe("refresh-old");
  });

  it("marks an expired link without a refresh token as needing reauthorization", async () => {
    const { m, id } = await linkWithTokens("fitbit", { access: "access-old", refresh: null, expiresInMs: 30_000 });
    expect(await freshAccessToken(h.em(), h.app.deps, id)).toEqual({ status: "reauth_required" });
    expect((await status(m, "fitbit")).body.data.connection).toEqual({ status: "error", connected_at: expect.any(String), error: "reauthorization_required" });
    expect((await reload(id)).accessTokenEnc).toBeNull();
    expect(await freshAccessToken(h.em(), h.app.deps, id)).toEqual({ status: "not_connected" });
  });
});

describe("expired link purge", () => {
  it("deletes link tokens and OAuth states past expiry, used or not, and keeps live ones", async () => {
    const { t, m } = await member();
    const em = h.em();
    const user = await em.findOneOrFail(User, { partnerUserId: m.userId, org: t.orgId });
    const now = new Date();
    const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000);
    const token = (expiresAt: Date, usedAt: Date | null = null) =>
      em.create(DeviceLinkToken, { user, providerSlug: "fitbit", tokenHash: sha256(crypto.randomUUID()), redirectUri: PARTNER_REDIRECT, expiresAt, usedAt });
    const state = (expiresAt: Date, usedAt: Date | null = null) =>
      em.create(OAuthLinkState, {
        user,
        providerSlug: "fitbit",
        stateHash: sha256(crypto.randomUUID()),
        codeVerifierEnc: "x",
        redirectUri: PARTNER_REDIRECT,
        expiresAt,
        usedAt,
      });
    const expired = [token(at(-1)), token(at(-30), at(-35)), state(at(-1)), state(at(-20), at(-25))];
    const live = [token(at(5)), token(at(5), at(-1)), state(at(9)), state(at(9), at(-1))];
    await em.flush();

    const purged = await purgeExpiredDeviceLinks(h.em(), now);
    expect(purged.link_tokens).toBeGreaterThanOrEqual(2);
    expect(purged.oauth_states).toBeGreaterThanOrEqual(2);
    const ids = [...expired, ...live].map((r) => r.id);
    const left = await sql<{ id: string }>("select id from device_link_tokens where id in (?) union all select id from device_oauth_states where id in (?)", [ids, ids]);
    expect(left.map((r) => r.id).sort()).toEqual(live.map((r) => r.id).sort());
  });

  it("runs hourly on the job engine as maintenance.device-link-purge", async () => {
    const deps = h.app.deps;
    const task = maintenanceTasks({} as IdempotencyStore, deps.logger, deps).find((t) => t.name === "maintenance.device-link-purge");
    expect(task?.cron).toBe("23 * * * *");
    const { t, m } = await member();
    const em = h.em();
    const user = await em.findOneOrFail(User, { partnerUserId: m.userId, org: t.orgId });
    const stale = em.create(DeviceLinkToken, {
      user,
      providerSlug: "fitbit",
      tokenHash: sha256(crypto.randomUUID()),
      redirectUri: PARTNER_REDIRECT,
      expiresAt: new Date(Date.now() - 1000),
    });
    await em.flush();
    await task!.run();
    expect(await sql("select id from device_link_tokens where id = ?", [stale.id])).toEqual([]);
  });
});
