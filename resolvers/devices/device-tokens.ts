import { LockMode } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import { DeviceConnection, DeviceConnectionStatus } from "../../entities/devices/device-connection.entity";
import type { AppDeps } from "../_shared/deps";
import { ProviderCallError, refreshAccessToken } from "./oauth-client";
import { isConfigured, oauthConfigFor } from "./providers";

/** A token expiring within this window is refreshed first, so it cannot lapse mid-call. */
export const REFRESH_LEEWAY_MS = 60_000;

/** The connection `error` (with status `error`) telling the partner the member must link the provider again. */
export const REAUTHORIZATION_REQUIRED = "reauthorization_required";

/**
 * What a provider call may use: `ok` (the access token, refreshed first when due; null for links
 * without OAuth tokens), `reauth_required` (the provider refused the refresh token: the link is now
 * status `error`), `failed` (transient: provider unreachable or misconfigured; nothing changed), or
 * `not_connected` (unlinked or already broken meanwhile).
 */
export type AccessTokenOutcome =
  { status: "ok"; accessToken: string | null; refreshed: boolean } | { status: "reauth_required" } | { status: "failed"; reason: string } | { status: "not_connected" };

type TokenDeps = Pick<AppDeps, "config" | "secretBox" | "logger" | "now">;

const plain = (deps: TokenDeps, enc: string | null | undefined) => (enc ? deps.secretBox.decrypt(enc) : null);

const due = (expiresAt: Date | null | undefined, now: Date) => !!expiresAt && expiresAt.getTime() - now.getTime() <= REFRESH_LEEWAY_MS;

/**
 * The one way to get a connection's provider access token: every provider call goes through here.
 * When the token is expired or expires within 60 s and a refresh token is stored, it is exchanged
 * at the provider's token URL (grant_type=refresh_token) and the new tokens are stored encrypted,
 * with the refresh token rotated when the provider issues a new one.
 *
 * Why the row lock is held across the provider call: with rotating refresh tokens, two concurrent
 * refreshes would present the same refresh token twice, which providers treat as token theft and
 * answer by revoking the whole grant. Serialising on the link row makes the second caller see the
 * first caller's fresh token instead. Tokens are never logged.
 *
 * `rejectedToken`: the access token a provider API just refused with 401; it is refreshed even if
 * its stored expiry is later (unless another caller already replaced it).
 */
export async function freshAccessToken(em: EntityManager, deps: TokenDeps, connectionId: string, opts: { rejectedToken?: string } = {}): Promise<AccessTokenOutcome> {
  // A token the provider just answered 401 to is due now, whatever its stored expiry says.
  const stale = (c: DeviceConnection, now: Date) => due(c.tokenExpiresAt, now) || (!!opts.rejectedToken && plain(deps, c.accessTokenEnc) === opts.rejectedToken);
  const current = await em.fork().findOne(DeviceConnection, { id: connectionId }, { populate: ["accessTokenEnc"] });
  if (!current || current.status !== DeviceConnectionStatus.connected) return { status: "not_connected" };
  if (!stale(current, deps.now())) return { status: "ok", accessToken: plain(deps, current.accessTokenEnc), refreshed: false };
  return em.fork().transactional(async (tx) => {
    const c = await tx.findOne(DeviceConnection, { id: connectionId }, { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ["accessTokenEnc", "refreshTokenEnc"] });
    if (!c || c.status !== DeviceConnectionStatus.connected) return { status: "not_connected" } as const;
    const now = deps.now();
    // Another caller refreshed while we waited for the lock.
    if (!stale(c, now)) return { status: "ok", accessToken: plain(deps, c.accessTokenEnc), refreshed: false } as const;
    const log = { provider_slug: c.providerSlug };
    const markReauth = async (reason: string) => {
      c.status = DeviceConnectionStatus.error;
      c.error = REAUTHORIZATION_REQUIRED;
      // The provider no longer honours these tokens: keep no secret we cannot use.
      c.accessTokenEnc = c.refreshTokenEnc = c.tokenExpiresAt = null;
      await tx.flush();
      deps.logger.warn({ ...log, reason }, "device link needs reauthorization");
      return { status: "reauth_required" } as const;
    };
    if (!c.refreshTokenEnc) return markReauth("expired_without_refresh_token");
    const config = oauthConfigFor(deps.config.oauth.providers, c.providerSlug);
    if (!isConfigured(config)) {
      deps.logger.warn({ ...log, reason: "provider_not_configured" }, "device token refresh skipped");
      return { status: "failed", reason: "provider_not_configured" } as const;
    }
    let tokens;
    try {
      tokens = await refreshAccessToken(config, deps.secretBox.decrypt(c.refreshTokenEnc), c.scopes, now);
    } catch (e) {
      if (!(e instanceof ProviderCallError)) throw e;
      if (e.reason === "invalid_grant") return markReauth(e.reason);
      deps.logger.warn({ ...log, reason: e.reason }, "device token refresh failed");
      return { status: "failed", reason: e.reason } as const;
    }
    c.accessTokenEnc = deps.secretBox.encrypt(tokens.accessToken);
    if (tokens.refreshToken) c.refreshTokenEnc = deps.secretBox.encrypt(tokens.refreshToken);
    c.tokenExpiresAt = tokens.expiresAt;
    c.scopes = tokens.scopes;
    await tx.flush();
    deps.logger.info({ ...log, rotated: !!tokens.refreshToken }, "device access token refreshed");
    return { status: "ok", accessToken: tokens.accessToken, refreshed: true } as const;
  });
}

/**
 * Puts a link into the reauthorization state (status `error`, `reauthorization_required`) and
 * drops its tokens: used when the provider API still refuses a freshly refreshed access token.
 * Only a link still connected is changed.
 */
export async function markReauthorizationRequired(em: EntityManager, deps: Pick<AppDeps, "logger" | "now">, connectionId: string, reason: string): Promise<void> {
  const changed = await em
    .fork()
    .nativeUpdate(
      DeviceConnection,
      { id: connectionId, status: DeviceConnectionStatus.connected },
      { status: DeviceConnectionStatus.error, error: REAUTHORIZATION_REQUIRED, accessTokenEnc: null, refreshTokenEnc: null, tokenExpiresAt: null, updatedAt: deps.now() },
    );
  if (changed) deps.logger.warn({ connection_id: connectionId, reason }, "device link needs reauthorization");
}
