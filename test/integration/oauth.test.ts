import { expectError, startHarness, waitFor, type Harness, type TestMember } from "../helpers/harness";
import { startFakeProviderApi, type FakeProviderApi } from "../helpers/fake-provider-api";
import { authorizeInBrowser, startForwarder, startOAuthServer, type OAuthTestClient, type OAuthTestServer } from "../helpers/oauth-server";

/**
 * The device OAuth round trip against a real OAuth 2 authorization server (oidc-provider) on
 * loopback: link token → oauth-url → the provider's login and consent (the test plays the member's
 * browser) → the provider's redirect to our callback → code exchange with PKCE → tokens stored
 * encrypted → connected; disconnecting revokes the token at the provider.
 */
const PARTNER_REDIRECT = "com.partner.app://devices/linked";

let h: Harness;
let oauth: OAuthTestServer;
let forwarder: Awaited<ReturnType<typeof startForwarder>>;
let callbackUrl: string;
let fitbitClient: OAuthTestClient;
let ouraClient: OAuthTestClient;
let providerApi: FakeProviderApi;

beforeAll(async () => {
  // Providers redirect to the callback URL, which must be known before the API starts on an ephemeral port.
  forwarder = await startForwarder();
  callbackUrl = `http://127.0.0.1:${forwarder.port}/v1/devices/oauth/callback`;
  fitbitClient = {
    client_id: "thrive-fitbit",
    client_secret: "fitbit-secret-0123456789abcdef0123",
    redirect_uris: [callbackUrl],
    token_endpoint_auth_method: "client_secret_basic",
  };
  ouraClient = {
    client_id: "thrive-oura",
    client_secret: "oura-secret-0123456789abcdef012345",
    redirect_uris: [callbackUrl],
    token_endpoint_auth_method: "client_secret_post",
  };
  oauth = await startOAuthServer({ clients: [fitbitClient, ouraClient], scopes: ["offline_access", "activity", "sleep", "heartrate", "daily"] });
  // Backfill and refresh read the providers' data APIs: a loopback fake with no data (provider-sync.test.ts covers the data).
  providerApi = await startFakeProviderApi({ acceptAnyToken: true });
  const endpoints = {
    authorizationUrl: `${oauth.issuer}/auth`,
    tokenUrl: `${oauth.issuer}/token`,
    revocationUrl: `${oauth.issuer}/token/revocation`,
    apiBaseUrl: providerApi.baseUrl,
  };
  h = await startHarness({
    runWorkers: true,
    env: {
      OAUTH_CALLBACK_URL: callbackUrl,
      OAUTH_PROVIDERS_JSON: JSON.stringify({
        // oidc-provider sends RFC 9207 `iss` and advertises it; Fitbit's config says so, Oura's names only the issuer.
        fitbit: {
          ...endpoints,
          clientId: fitbitClient.client_id,
          clientSecret: fitbitClient.client_secret,
          scopes: ["activity", "sleep", "heartrate"],
          tokenAuthMethod: "client_secret_basic",
          issuer: oauth.issuer,
          authorizationResponseIssParameterSupported: true,
        },
        oura: {
          ...endpoints,
          clientId: ouraClient.client_id,
          clientSecret: ouraClient.client_secret,
          scopes: ["daily"],
          tokenAuthMethod: "client_secret_post",
          issuer: oauth.issuer,
        },
      }),
    },
  });
  forwarder.target = Number(new URL(h.baseUrl).port);
});
afterAll(async () => {
  await h?.stop();
  await oauth?.stop();
  await forwarder?.stop();
  await providerApi?.stop();
});

const sql = <T = Record<string, unknown>>(q: string, params: unknown[] = []) => h.em().getConnection().execute<T[]>(q, params);

/** Link token → oauth-url → consent at the provider; returns the URL the provider sends the browser to. */
async function consent(m: TestMember, provider: string): Promise<URL> {
  const minted = await h.req("POST", `/v1/users/${m.userId}/devices/auth/token`, { token: m.token, body: { provider_slug: provider, redirect_uri: PARTNER_REDIRECT } });
  expect(minted.status).toBe(200);
  const url = await h.req("GET", `/v1/devices/${provider}/oauth-url?link_token=${encodeURIComponent(minted.body.data.token)}`);
  expect(url.status).toBe(200);
  expect(url.body.data.oauth_url.startsWith(`${oauth.issuer}/auth?`)).toBe(true);
  return authorizeInBrowser(url.body.data.oauth_url, callbackUrl);
}

/** The browser following the provider's redirect (through the loopback front door to the API). */
async function followRedirect(redirect: URL) {
  const res = await fetch(redirect);
  return { status: res.status, body: (await res.json()) as any };
}

async function storedTokens(m: TestMember, provider: string) {
  const [row] = await sql<{ access_token_enc: string; refresh_token_enc: string | null; scopes: string[]; raw: string }>(
    `select c.access_token_enc, c.refresh_token_enc, c.scopes, row_to_json(c)::text as raw
       from device_connections c join users u on u.id = c.user_id where u.partner_user_id = ? and c.provider_slug = ?`,
    [m.userId, provider],
  );
  return row;
}

describe("device OAuth with a real authorization server", () => {
  it("links Fitbit end to end (client_secret_basic): tokens stored encrypted, connected, backfilled", async () => {
    const t = await h.tenant();
    const m = await t.member();
    const redirect = await consent(m, "fitbit");
    expect(redirect.searchParams.get("code")).toBeTruthy();
    expect(redirect.searchParams.get("state")).toBeTruthy();

    const cb = await followRedirect(redirect);
    expect(cb.status).toBe(200);
    expect(cb.body).toEqual({ data: { status: "connected", provider_slug: "fitbit", redirect_to: `${PARTNER_REDIRECT}?status=connected&provider=fitbit` } });

    const row = await storedTokens(m, "fitbit");
    const access = h.app.deps.secretBox.decrypt(row.access_token_enc);
    const refresh = h.app.deps.secretBox.decrypt(row.refresh_token_enc!);
    // The provider issued these to us (they are live there), and they are not stored in the clear.
    expect(await oauth.isActive(fitbitClient, access)).toBe(true);
    expect(await oauth.isActive(fitbitClient, refresh)).toBe(true);
    expect(row.raw).not.toContain(access);
    expect(row.raw).not.toContain(refresh);
    expect(row.scopes).toEqual(expect.arrayContaining(["activity"]));

    const status = await waitFor(async () => {
      const res = await h.req("GET", `/v1/users/${m.userId}/devices/fitbit/status`, { token: m.token });
      return res.body.data.backfill.status === "completed" ? res : undefined;
    });
    expect(status.body.data.connection).toEqual({ status: "connected", connected_at: expect.any(String), error: null });
    const profile = await h.req("GET", `/v1/users/${m.userId}/health-profile`, { token: m.token });
    expect(profile.body.data.connected_devices).toEqual([{ provider_slug: "fitbit", status: "connected" }]);

    // The redirect is single use: replaying it links nothing.
    expectError(await h.req("GET", `/v1/devices/oauth/callback${redirect.search}`), 404, "not_found");
  });

  it("links Oura with client_secret_post, for the link token's member only", async () => {
    const t = await h.tenant();
    const a = await t.member();
    const b = await t.member();
    const cb = await followRedirect(await consent(a, "oura"));
    expect(cb.body.data).toMatchObject({ status: "connected", provider_slug: "oura" });
    expect(await oauth.isActive(ouraClient, h.app.deps.secretBox.decrypt((await storedTokens(a, "oura")).access_token_enc))).toBe(true);
    expect((await h.req("GET", `/v1/users/${a.userId}/devices/oura/status`, { token: a.token })).body.data.connection.status).toBe("connected");
    expect((await h.req("GET", `/v1/users/${b.userId}/devices/oura/status`, { token: b.token })).body.data.connection.status).toBe("disconnected");
    expect((await h.req("GET", `/v1/users/${b.userId}/devices`, { token: b.token })).body.data).toEqual([]);
  });

  it("reports a code the provider rejects as an error and does not link", async () => {
    const t = await h.tenant();
    const m = await t.member();
    const redirect = await consent(m, "fitbit");
    redirect.searchParams.set("code", "forged-code");
    const cb = await followRedirect(redirect);
    expect(cb.status).toBe(200);
    expect(cb.body.data).toEqual({
      status: "error",
      provider_slug: "fitbit",
      redirect_to: `${PARTNER_REDIRECT}?status=error&provider=fitbit&error=token_exchange_failed`,
    });
    expect((await h.req("GET", `/v1/users/${m.userId}/devices/fitbit/status`, { token: m.token })).body.data.connection.status).toBe("disconnected");
  });

  it("refreshes with a 202 job and disconnects with 204, revoking the token at the provider", async () => {
    const t = await h.tenant();
    const m = await t.member();
    expect((await followRedirect(await consent(m, "fitbit"))).body.data.status).toBe("connected");
    const refresh = h.app.deps.secretBox.decrypt((await storedTokens(m, "fitbit")).refresh_token_enc!);

    const started = await h.req("POST", `/v1/users/${m.userId}/devices/actions/refresh`, { token: m.token });
    expect(started.status).toBe(202);
    const job = await waitFor(async () => {
      const res = await h.req("GET", `/v1/users/${m.userId}/jobs/${started.body.data.job_id}`, { token: m.token });
      return res.body.data.status === "completed" ? res : undefined;
    });
    expect(job.body.data.result).toEqual({ refreshed_providers: ["fitbit"], reauth_required_providers: [], failed_providers: [] });
    // The access token was not due, so it was not exchanged.
    expect(h.app.deps.secretBox.decrypt((await storedTokens(m, "fitbit")).refresh_token_enc!)).toBe(refresh);

    const del = await h.req("DELETE", `/v1/users/${m.userId}/devices/fitbit`, { token: m.token });
    expect(del.status).toBe(204);
    expect(await oauth.isActive(fitbitClient, refresh)).toBe(false);
    expect((await h.req("GET", `/v1/users/${m.userId}/devices/fitbit/status`, { token: m.token })).body.data.connection.status).toBe("disconnected");
    expect(await sql("select c.id from device_connections c join users u on u.id = c.user_id where u.partner_user_id = ?", [m.userId])).toEqual([]);
  });

  it("refreshes an access token expiring within 60 s at the provider first, rotating the refresh token, without logging tokens", async () => {
    const t = await h.tenant();
    const m = await t.member();
    expect((await followRedirect(await consent(m, "fitbit"))).body.data.status).toBe("connected");
    await backfillCompleted(m, "fitbit");
    const before = await storedTokens(m, "fitbit");
    const [access0, refresh0] = [h.app.deps.secretBox.decrypt(before.access_token_enc), h.app.deps.secretBox.decrypt(before.refresh_token_enc!)];
    await setExpiry(m, "fitbit", "now() + interval '30 seconds'");

    const logger = h.app.deps.logger;
    const spies = (["trace", "debug", "info", "warn", "error", "fatal"] as const).map((level) => jest.spyOn(logger, level));
    try {
      expect(await refreshJob(m)).toEqual({ refreshed_providers: ["fitbit"], reauth_required_providers: [], failed_providers: [] });
      const after = await storedTokens(m, "fitbit");
      const [access1, refresh1] = [h.app.deps.secretBox.decrypt(after.access_token_enc), h.app.deps.secretBox.decrypt(after.refresh_token_enc!)];
      expect(access1).not.toBe(access0);
      expect(refresh1).not.toBe(refresh0);
      expect(await oauth.isActive(fitbitClient, access1)).toBe(true);
      expect(await oauth.isActive(fitbitClient, refresh1)).toBe(true);
      // The provider rotated: the old refresh token is spent there.
      expect(await oauth.isActive(fitbitClient, refresh0)).toBe(false);
      expect(after.raw).not.toContain(access1);
      expect(after.raw).not.toContain(refresh1);
      const [{ expires_in_s }] = await sql<{ expires_in_s: number }>(
        `select extract(epoch from c.token_expires_at - now())::float as expires_in_s
           from device_connections c join users u on u.id = c.user_id where u.partner_user_id = ? and c.provider_slug = 'fitbit'`,
        [m.userId],
      );
      expect(expires_in_s).toBeGreaterThan(60);
      expect((await h.req("GET", `/v1/users/${m.userId}/devices/fitbit/status`, { token: m.token })).body.data.connection).toMatchObject({
        status: "connected",
        error: null,
      });

      const logged = JSON.stringify(spies.map((s) => s.mock.calls));
      expect(logged).toContain("device access token refreshed");
      for (const secret of [access0, refresh0, access1, refresh1]) expect(logged).not.toContain(secret);
    } finally {
      for (const s of spies) s.mockRestore();
    }
  });

  it("marks the link error reauthorization_required when the provider answers invalid_grant, and a new link repairs it", async () => {
    const t = await h.tenant();
    const m = await t.member();
    expect((await followRedirect(await consent(m, "fitbit"))).body.data.status).toBe("connected");
    // The backfill reads the provider's API with the stored token: let it finish before the grant is revoked.
    await backfillCompleted(m, "fitbit");
    const refresh0 = h.app.deps.secretBox.decrypt((await storedTokens(m, "fitbit")).refresh_token_enc!);
    // The member revokes our access at the provider; then the access token expires.
    await revokeAtProvider(fitbitClient, refresh0);
    await setExpiry(m, "fitbit", "now() - interval '1 minute'");

    expect(await refreshJob(m)).toEqual({ refreshed_providers: [], reauth_required_providers: ["fitbit"], failed_providers: [] });
    const status = await h.req("GET", `/v1/users/${m.userId}/devices/fitbit/status`, { token: m.token });
    expect(status.body.data.connection).toEqual({ status: "error", connected_at: expect.any(String), error: "reauthorization_required" });
    const row = await storedTokens(m, "fitbit");
    expect([row.access_token_enc, row.refresh_token_enc]).toEqual([null, null]);
    // A broken link is not synced again until the member links it anew.
    expect(await refreshJob(m)).toEqual({ refreshed_providers: [], reauth_required_providers: [], failed_providers: [] });

    expect((await followRedirect(await consent(m, "fitbit"))).body.data.status).toBe("connected");
    expect((await h.req("GET", `/v1/users/${m.userId}/devices/fitbit/status`, { token: m.token })).body.data.connection).toMatchObject({
      status: "connected",
      error: null,
    });
  });
});

describe("RFC 9207 issuer check on the callback", () => {
  it("rejects a response whose iss is another issuer with 400, spends the state and links nothing", async () => {
    const t = await h.tenant();
    const m = await t.member();
    const redirect = await consent(m, "oura");
    expect(redirect.searchParams.get("iss")).toBe(oauth.issuer);
    const forged = new URL(redirect);
    forged.searchParams.set("iss", "https://mix-up.example");
    const res = await h.req("GET", `/v1/devices/oauth/callback${forged.search}`);
    expectError(res, 400, "invalid_request");
    expect(res.body.error.details).toEqual([{ field: "iss", code: "invalid_value", message: expect.any(String) }]);
    expect(res.text).not.toContain("mix-up.example");
    // The genuine response cannot be replayed afterwards: the state is spent.
    expectError(await h.req("GET", `/v1/devices/oauth/callback${redirect.search}`), 404, "not_found");
    expect((await h.req("GET", `/v1/users/${m.userId}/devices`, { token: m.token })).body.data).toEqual([]);
  });

  it("rejects a missing iss when the provider advertises it, accepts it missing otherwise", async () => {
    const t = await h.tenant();
    const m = await t.member();
    const fitbit = await consent(m, "fitbit");
    fitbit.searchParams.delete("iss");
    const res = await h.req("GET", `/v1/devices/oauth/callback${fitbit.search}`);
    expectError(res, 400, "invalid_request");
    expect(res.body.error.details).toEqual([{ field: "iss", code: "required", message: expect.any(String) }]);
    expect((await h.req("GET", `/v1/users/${m.userId}/devices/fitbit/status`, { token: m.token })).body.data.connection.status).toBe("disconnected");

    const oura = await consent(m, "oura");
    oura.searchParams.delete("iss");
    expect((await followRedirect(oura)).body.data).toMatchObject({ status: "connected", provider_slug: "oura" });
  });
});

async function setExpiry(m: TestMember, provider: string, expr: string) {
  await sql(`update device_connections c set token_expires_at = ${expr} from users u where u.id = c.user_id and u.partner_user_id = ? and c.provider_slug = ?`, [
    m.userId,
    provider,
  ]);
}

const backfillCompleted = (m: TestMember, provider: string) =>
  waitFor(async () => {
    const res = await h.req("GET", `/v1/users/${m.userId}/devices/${provider}/status`, { token: m.token });
    return res.body.data.backfill.status === "completed" ? res : undefined;
  });

/** POST …/devices/actions/refresh and the finished job's result. */
async function refreshJob(m: TestMember) {
  const started = await h.req("POST", `/v1/users/${m.userId}/devices/actions/refresh`, { token: m.token });
  expect(started.status).toBe(202);
  const job = await waitFor(async () => {
    const res = await h.req("GET", `/v1/users/${m.userId}/jobs/${started.body.data.job_id}`, { token: m.token });
    return res.body.data.status === "completed" ? res : undefined;
  });
  return job.body.data.result;
}

/** RFC 7009 revocation as the client, as when the member removes the app at the provider. */
async function revokeAtProvider(client: OAuthTestClient, token: string) {
  const res = await fetch(`${oauth.issuer}/token/revocation`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString("base64")}`,
    },
    body: new URLSearchParams({ token, token_type_hint: "refresh_token" }),
  });
  expect(res.status).toBe(200);
  expect(await oauth.isActive(client, token)).toBe(false);
}
