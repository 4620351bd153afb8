import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

/** One provider account's data, in the providers' own response shapes. */
export interface FakeAccount {
  /** Oura: daily documents (filtered by `day`) and heartrate samples `{bpm, source, timestamp}` (filtered by `timestamp`). */
  oura?: { daily_activity?: Record<string, unknown>[]; sleep?: Record<string, unknown>[]; heartrate?: Record<string, unknown>[] };
  /**
   * Fitbit: activity `summary` per date, sleep logs (filtered by `dateOfSleep`), the intraday
   * heart-rate dataset `{time, value}[]` per date, and daily HRV `{dateTime, value}` (filtered by `dateTime`).
   */
  fitbit?: {
    activities?: Record<string, Record<string, unknown>>;
    sleep?: Record<string, unknown>[];
    heart?: Record<string, Record<string, unknown>[]>;
    hrv?: Record<string, unknown>[];
  };
}

export interface FakeRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  account: string | null;
  status: number;
}

export interface FakeProviderApi {
  /** Base URL of the data API and of the OAuth endpoints (`/oauth/authorize`, `/oauth/token`). */
  baseUrl: string;
  accounts: Map<string, FakeAccount>;
  requests: FakeRequest[];
  /** Tokens for an account, as if the member had consented (for seeding a link directly). */
  issue(account: string): { access: string; refresh: string };
  /** The provider no longer honours the account's current access tokens (401); refresh tokens still work. */
  expireAccessTokens(account: string): void;
  /** 401 for every token of the account, fresh ones included (the grant is broken at the provider). */
  rejectAll(account: string, on?: boolean): void;
  /** Data calls of the account whose path starts with `pathPrefix` answer 403 (a scope the member withheld). */
  forbid(account: string, pathPrefix: string): void;
  /** The next `times` data calls answer `status` (429 with Retry-After when given). */
  failNext(status: number, opts?: { times?: number; retryAfter?: string }): void;
  refreshGrants: number;
  stop(): Promise<void>;
}

/**
 * A loopback stand-in for the Oura API v2 and the Fitbit Web API (only the endpoints the sync
 * reads), plus a tiny OAuth 2 authorization server (authorization code + PKCE S256, rotating
 * refresh tokens) so that links can be made through our real callback. Bearer tokens are checked:
 * each token belongs to one account, whose data alone it can read. With `acceptAnyToken`, a token
 * it did not issue (e.g. one from another authorization server) reads an empty account instead.
 */
export async function startFakeProviderApi(opts: { pageSize?: number; acceptAnyToken?: boolean } = {}): Promise<FakeProviderApi> {
  const pageSize = opts.pageSize ?? 2;
  const accounts = new Map<string, FakeAccount>();
  const access = new Map<string, string>(); // token → account
  const refresh = new Map<string, string>();
  const codes = new Map<string, { account: string; challenge: string; redirectUri: string }>();
  const rejected = new Set<string>();
  const forbidden: { account: string; pathPrefix: string }[] = [];
  const requests: FakeRequest[] = [];
  let failures: { status: number; times: number; retryAfter?: string } | null = null;
  const rand = () => crypto.randomBytes(16).toString("base64url");

  const api: FakeProviderApi = {
    baseUrl: "",
    accounts,
    requests,
    refreshGrants: 0,
    issue(account) {
      const t = { access: `at-${rand()}`, refresh: `rt-${rand()}` };
      access.set(t.access, account);
      refresh.set(t.refresh, account);
      return t;
    },
    expireAccessTokens(account) {
      for (const [t, a] of access) if (a === account) access.delete(t);
    },
    rejectAll(account, on = true) {
      if (on) rejected.add(account);
      else rejected.delete(account);
    },
    forbid(account, pathPrefix) {
      forbidden.push({ account, pathPrefix });
    },
    failNext(status, o = {}) {
      failures = { status, times: o.times ?? 1, retryAfter: o.retryAfter };
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };

  const json = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };

  const tokenResponse = (account: string) => {
    const t = api.issue(account);
    return { access_token: t.access, refresh_token: t.refresh, token_type: "Bearer", expires_in: 3600, scope: "daily activity sleep" };
  };

  async function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
    let raw = "";
    for await (const chunk of req) raw += String(chunk);
    return new URLSearchParams(raw);
  }

  function page(items: Record<string, unknown>[], q: Record<string, string>) {
    const inRange = q.start_datetime
      ? items.filter((d) => Date.parse(String(d.timestamp)) >= Date.parse(q.start_datetime) && Date.parse(String(d.timestamp)) < Date.parse(q.end_datetime))
      : items.filter((d) => String(d.day) >= q.start_date && String(d.day) <= q.end_date);
    const offset = q.next_token ? Number(Buffer.from(q.next_token, "base64url").toString()) : 0;
    const next = offset + pageSize < inRange.length ? Buffer.from(String(offset + pageSize)).toString("base64url") : null;
    return { data: inRange.slice(offset, offset + pageSize), next_token: next };
  }

  function data(path: string, q: Record<string, string>, a: FakeAccount): unknown {
    if (path === "/v2/usercollection/daily_activity") return page(a.oura?.daily_activity ?? [], q);
    if (path === "/v2/usercollection/sleep") return page(a.oura?.sleep ?? [], q);
    if (path === "/v2/usercollection/heartrate") return page(a.oura?.heartrate ?? [], q);
    let m = /^\/1\/user\/-\/activities\/date\/(\d{4}-\d{2}-\d{2})\.json$/.exec(path);
    if (m) {
      const summary = a.fitbit?.activities?.[m[1]] ?? {
        steps: 0,
        caloriesOut: 1650,
        distances: [{ activity: "total", distance: 0 }],
        veryActiveMinutes: 0,
        fairlyActiveMinutes: 0,
      };
      return { activities: [], goals: {}, summary };
    }
    m = /^\/1\.2\/user\/-\/sleep\/date\/(\d{4}-\d{2}-\d{2})\/(\d{4}-\d{2}-\d{2})\.json$/.exec(path);
    if (m) return { sleep: (a.fitbit?.sleep ?? []).filter((s) => String(s.dateOfSleep) >= m![1] && String(s.dateOfSleep) <= m![2]) };
    m = /^\/1\/user\/-\/activities\/heart\/date\/(\d{4}-\d{2}-\d{2})\/1d\/1min\.json$/.exec(path);
    if (m) {
      const dataset = a.fitbit?.heart?.[m[1]] ?? [];
      return {
        "activities-heart": [{ dateTime: m[1], value: { customHeartRateZones: [], heartRateZones: [], ...(dataset.length ? { restingHeartRate: 58 } : {}) } }],
        "activities-heart-intraday": { dataset, datasetInterval: 1, datasetType: "minute" },
      };
    }
    m = /^\/1\/user\/-\/hrv\/date\/(\d{4}-\d{2}-\d{2})\/(\d{4}-\d{2}-\d{2})\.json$/.exec(path);
    if (m) return { hrv: (a.fitbit?.hrv ?? []).filter((d) => String(d.dateTime) >= m[1] && String(d.dateTime) <= m[2]) };
    return undefined;
  }

  const server = http.createServer((req, res) => void handle(req, res));
  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url!, "http://fake");
    const query = Object.fromEntries(url.searchParams);
    if (req.method === "GET" && url.pathname === "/oauth/authorize") {
      // The member "logs in" as `account` (the test appends it) and consents at once.
      const code = rand();
      codes.set(code, { account: query.account ?? "default", challenge: query.code_challenge ?? "", redirectUri: query.redirect_uri ?? "" });
      const to = new URL(query.redirect_uri);
      to.searchParams.set("code", code);
      to.searchParams.set("state", query.state ?? "");
      res.writeHead(302, { location: to.toString() });
      return res.end();
    }
    if (req.method === "POST" && url.pathname === "/oauth/token") {
      const form = await readForm(req);
      if (form.get("grant_type") === "authorization_code") {
        const c = codes.get(form.get("code") ?? "");
        codes.delete(form.get("code") ?? "");
        const verifier = form.get("code_verifier") ?? "";
        if (!c || c.redirectUri !== form.get("redirect_uri") || crypto.createHash("sha256").update(verifier).digest("base64url") !== c.challenge) {
          return json(res, 400, { error: "invalid_grant" });
        }
        return json(res, 200, tokenResponse(c.account));
      }
      if (form.get("grant_type") === "refresh_token") {
        const account = refresh.get(form.get("refresh_token") ?? "");
        if (!account) return json(res, 400, { error: "invalid_grant" });
        refresh.delete(form.get("refresh_token")!); // rotation: a refresh token is single use
        api.refreshGrants++;
        return json(res, 200, tokenResponse(account));
      }
      return json(res, 400, { error: "unsupported_grant_type" });
    }
    const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? "");
    const account = auth ? (access.get(auth[1]) ?? (opts.acceptAnyToken ? "(any)" : null)) : null;
    const log = (status: number) => requests.push({ method: req.method!, path: url.pathname, query, account, status });
    if (!account || rejected.has(account)) {
      log(401);
      return json(res, 401, { message: "Unauthorized" });
    }
    if (forbidden.some((f) => f.account === account && url.pathname.startsWith(f.pathPrefix))) {
      log(403);
      return json(res, 403, { errors: [{ errorType: "insufficient_scope", message: "forbidden" }] });
    }
    if (failures && failures.times > 0) {
      const f = failures;
      if (--f.times === 0) failures = null;
      log(f.status);
      return json(res, f.status, { message: "failure" }, f.retryAfter ? { "retry-after": f.retryAfter } : {});
    }
    const body = data(url.pathname, query, accounts.get(account) ?? {});
    if (body === undefined) {
      log(404);
      return json(res, 404, { message: "not found" });
    }
    log(200);
    json(res, 200, body);
  }
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  api.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return api;
}
