import crypto from "node:crypto";
import type { OAuthProviderConfig } from "./providers";

/** A configured provider: the client credentials are present. */
export type ConfiguredProvider = OAuthProviderConfig & { clientId: string; clientSecret: string };

const TIMEOUT_MS = 10_000;

/** RFC 7636: a 43-character verifier (256 random bits) and its S256 challenge. */
export function createPkcePair(): { verifier: string; challenge: string } {
  const verifier = crypto.randomBytes(32).toString("base64url");
  return { verifier, challenge: crypto.createHash("sha256").update(verifier).digest("base64url") };
}

/** The authorization-code request (RFC 6749 §4.1.1) with PKCE S256. */
export function authorizationUrl(p: ConfiguredProvider, params: { redirectUri: string; state: string; codeChallenge: string }): string {
  const url = new URL(p.authorizationUrl);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", p.clientId);
  url.searchParams.set("redirect_uri", params.redirectUri);
  if (p.scopes.length) url.searchParams.set("scope", p.scopes.join(p.scopeSeparator ?? " "));
  url.searchParams.set("state", params.state);
  url.searchParams.set("code_challenge", params.codeChallenge);
  url.searchParams.set("code_challenge_method", "S256");
  return url.toString();
}

export interface TokenSet {
  accessToken: string;
  refreshToken: string | null;
  expiresAt: Date | null;
  scopes: string[];
}

/** Why a provider call failed, safe to show partners (never the provider's body). */
export class ProviderCallError extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

function clientAuth(p: ConfiguredProvider, form: URLSearchParams): Record<string, string> {
  if (p.tokenAuthMethod === "client_secret_post") {
    form.set("client_id", p.clientId);
    form.set("client_secret", p.clientSecret);
    return {};
  }
  // RFC 6749 §2.3.1: each part form-urlencoded before base64.
  const enc = (v: string) => encodeURIComponent(v).replace(/%20/g, "+");
  return { authorization: `Basic ${Buffer.from(`${enc(p.clientId)}:${enc(p.clientSecret)}`).toString("base64")}` };
}

async function postForm(url: string, p: ConfiguredProvider, form: URLSearchParams): Promise<Response> {
  const headers = { "content-type": "application/x-www-form-urlencoded", accept: "application/json", ...clientAuth(p, form) };
  try {
    return await fetch(url, { method: "POST", headers, body: form, redirect: "error", signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch {
    throw new ProviderCallError("provider_unreachable");
  }
}

/**
 * One token-endpoint request and its response as a TokenSet. Fails with `reasons.invalidGrant`
 * when the provider answers OAuth error `invalid_grant` (the code or refresh token is expired,
 * revoked or already used), with `reasons.other` otherwise: the provider's body is never surfaced.
 */
async function tokenRequest(
  p: ConfiguredProvider,
  form: URLSearchParams,
  now: Date,
  reasons: { invalidGrant: string; other: string },
  fallbackScopes: readonly string[],
): Promise<TokenSet> {
  const failure = reasons.other;
  for (const [k, v] of Object.entries(p.extraTokenParams ?? {})) form.set(k, v);
  const res = await postForm(p.tokenUrl, p, form);
  let json: Record<string, unknown>;
  try {
    json = (await res.json()) as Record<string, unknown>;
  } catch {
    throw new ProviderCallError(failure);
  }
  // Withings wraps the token response as {status: 0, body: {...}}.
  const body = (typeof json.body === "object" && json.body !== null && json.status === 0 ? json.body : json) as Record<string, unknown>;
  if (!res.ok && json.error === "invalid_grant") throw new ProviderCallError(reasons.invalidGrant);
  if (!res.ok || typeof body.access_token !== "string" || !body.access_token) throw new ProviderCallError(failure);
  const expiresIn = Number(body.expires_in);
  return {
    accessToken: body.access_token,
    refreshToken: typeof body.refresh_token === "string" && body.refresh_token ? body.refresh_token : null,
    expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? new Date(now.getTime() + expiresIn * 1000) : null,
    scopes: typeof body.scope === "string" ? body.scope.split(/[ ,]+/).filter(Boolean) : [...fallbackScopes],
  };
}

/** Exchanges the authorization code with the PKCE verifier at the provider's token endpoint (RFC 6749 §4.1.3, RFC 7636 §4.5). */
export async function exchangeCode(p: ConfiguredProvider, params: { code: string; redirectUri: string; codeVerifier: string }, now: Date): Promise<TokenSet> {
  const form = new URLSearchParams({ grant_type: "authorization_code", code: params.code, redirect_uri: params.redirectUri, code_verifier: params.codeVerifier });
  return tokenRequest(p, form, now, { invalidGrant: "token_exchange_failed", other: "token_exchange_failed" }, p.scopes);
}

/**
 * RFC 6749 §6: a new access token for a refresh token. `refreshToken` in the result is null when
 * the provider did not rotate it (keep the old one). Fails with reason `invalid_grant` when the
 * provider no longer honours the refresh token (the member must link again).
 */
export async function refreshAccessToken(p: ConfiguredProvider, refreshToken: string, grantedScopes: readonly string[], now: Date): Promise<TokenSet> {
  const form = new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken });
  return tokenRequest(p, form, now, { invalidGrant: "invalid_grant", other: "token_refresh_failed" }, grantedScopes);
}

/**
 * RFC 9207: which issuer problem, if any, an authorization response has. Checked only when the
 * provider's issuer is configured; a missing `iss` is a problem only for providers that advertise
 * `authorization_response_iss_parameter_supported`. Comparison is exact (RFC 9207 §2.4).
 */
export function issuerProblem(
  p: Pick<OAuthProviderConfig, "issuer" | "authorizationResponseIssParameterSupported">,
  iss: string | null | undefined,
): "issuer_mismatch" | "issuer_missing" | null {
  if (typeof p.issuer !== "string" || !p.issuer) return null;
  if (iss === null || iss === undefined) return p.authorizationResponseIssParameterSupported === true ? "issuer_missing" : null;
  return iss === p.issuer ? null : "issuer_mismatch";
}

/** RFC 7009 revocation. Returns the outcome; never throws (disconnecting must not depend on the provider). */
export async function revokeToken(p: ConfiguredProvider, token: string, hint: "refresh_token" | "access_token"): Promise<"revoked" | "failed"> {
  if (!p.revocationUrl) return "failed";
  try {
    const res = await postForm(p.revocationUrl, p, new URLSearchParams({ token, token_type_hint: hint }));
    await res.body?.cancel();
    return res.ok ? "revoked" : "failed";
  } catch {
    return "failed";
  }
}
