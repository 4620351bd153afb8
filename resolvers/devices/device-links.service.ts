import { LockMode } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import { DeviceLinkToken } from "../../entities/devices/device-link-token.entity";
import { OAuthLinkState } from "../../entities/devices/oauth-link-state.entity";
import { User } from "../../entities/users/user.entity";
import type { CreateDeviceLinkTokenInput, DeviceOAuthCallbackArgs } from "../../schema/devices/device.input";
import type { DeviceLinkTokenType, DeviceOAuthResultType, DeviceOAuthUrlType } from "../../schema/devices/device.type";
import { DeviceLinkOutcome } from "../../schema/devices/devices.enum";
import type { Context } from "../_shared/context";
import { randomToken, sha256Hex } from "../_shared/crypto";
import { DomainError, notFound, validationError } from "../_shared/errors";
import { ProviderCallError, authorizationUrl, createPkcePair, exchangeCode, issuerProblem, type ConfiguredProvider } from "./oauth-client";
import { findProvider, isConfigured, oauthConfigFor } from "./providers";

export const LINK_TOKEN_TTL_MS = 10 * 60_000;
/** How long the member has to consent at the provider. */
export const OAUTH_STATE_TTL_MS = 10 * 60_000;

/**
 * Deletes link tokens and OAuth states past their expiry (used or not): one DELETE per table, for
 * the periodic maintenance task. Expired rows can no longer start or finish a link, so nothing
 * observable changes; the rows only hold stale redirect URIs and PKCE verifier ciphertext.
 */
export async function purgeExpiredDeviceLinks(em: EntityManager, now: Date): Promise<{ link_tokens: number; oauth_states: number }> {
  const expired = { expiresAt: { $lte: now } };
  const linkTokens = await em.nativeDelete(DeviceLinkToken, expired);
  const oauthStates = await em.nativeDelete(OAuthLinkState, expired);
  return { link_tokens: linkTokens, oauth_states: oauthStates };
}

const BLOCKED_SCHEMES = new Set(["javascript:", "data:", "file:", "vbscript:", "blob:", "about:"]);

/** An absolute URI without a fragment (RFC 6749 §3.1.2): https, http or an app's own scheme. */
function isRedirectUri(raw: string): boolean {
  if (!URL.canParse(raw)) return false;
  const u = new URL(raw);
  if (BLOCKED_SCHEMES.has(u.protocol) || u.hash || raw.includes("#")) return false;
  return (u.protocol !== "http:" && u.protocol !== "https:") || !!u.hostname;
}

function withParams(uri: string, params: Record<string, string>): string {
  const u = new URL(uri);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.toString();
}

/** Provider error codes are RFC 6749 ASCII tokens; anything else is not echoed. */
const safeErrorCode = (e: string | null | undefined) => (e && /^[A-Za-z0-9_.-]{1,64}$/.test(e) ? e : "authorization_failed");

/**
 * The OAuth linking flow: a member-scoped link token → an authorization URL (state + PKCE S256) the
 * member's browser opens without credentials → the provider's redirect to the callback, which
 * exchanges the code at the provider and links the provider for the member bound to the state.
 */
export class DeviceLinksService {
  constructor(private readonly ctx: Context) {}

  private requireConfigured(slug: string): ConfiguredProvider {
    const config = oauthConfigFor(this.ctx.deps.config.oauth.providers, slug);
    if (!isConfigured(config)) throw new DomainError("provider_not_configured", "This provider is not configured on this deployment");
    return config;
  }

  /** A 10-minute, single-use token binding one member to one OAuth provider. Only its SHA-256 is stored. */
  async createLinkToken(userId: string, input: CreateDeviceLinkTokenInput): Promise<DeviceLinkTokenType> {
    const user = await this.ctx.services.users.requireMember(userId);
    const provider = findProvider(input.providerSlug);
    if (!provider) throw notFound("Provider");
    const details = [];
    if (provider.authType !== "oauth") {
      details.push({ field: "providerSlug", code: "invalid_value", message: "must be an OAuth provider (native platforms use devices/actions/register)" });
    }
    if (!isRedirectUri(input.redirectUri)) {
      details.push({ field: "redirectUri", code: "invalid_value", message: "must be an absolute URI without a fragment" });
    }
    if (details.length) throw validationError(details);
    this.requireConfigured(provider.slug);
    const now = this.ctx.deps.now();
    const token = randomToken(32);
    const expiresAt = new Date(now.getTime() + LINK_TOKEN_TTL_MS);
    this.ctx.em.create(DeviceLinkToken, {
      user: this.ctx.em.getReference(User, user.id),
      providerSlug: provider.slug,
      tokenHash: sha256Hex(token),
      redirectUri: input.redirectUri,
      expiresAt,
      createdAt: now,
    });
    await this.ctx.em.flush();
    return { token, expiresAt };
  }

  /**
   * Consumes the link token (row-locked, so it yields one authorization request even under
   * concurrent calls) and returns the provider's authorization URL. Unknown, used, expired and
   * other-provider tokens are all 404 not_found, so a token's state cannot be probed.
   */
  async oauthUrl(providerSlug: string, linkToken: string): Promise<DeviceOAuthUrlType> {
    const provider = findProvider(providerSlug);
    if (!provider || provider.authType !== "oauth") throw notFound("Provider");
    const config = this.requireConfigured(providerSlug);
    const now = this.ctx.deps.now();
    const state = randomToken(32);
    const pkce = createPkcePair();
    await this.ctx.em.transactional(async (em) => {
      const link = await em.findOne(DeviceLinkToken, { tokenHash: sha256Hex(linkToken) }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!link || link.providerSlug !== providerSlug || link.usedAt || link.expiresAt <= now) throw notFound("Link token");
      link.usedAt = now;
      em.create(OAuthLinkState, {
        user: link.user,
        providerSlug,
        stateHash: sha256Hex(state),
        codeVerifierEnc: this.ctx.deps.secretBox.encrypt(pkce.verifier),
        redirectUri: link.redirectUri,
        expiresAt: new Date(now.getTime() + OAUTH_STATE_TTL_MS),
        createdAt: now,
      });
      await em.flush();
    });
    return { oauthUrl: authorizationUrl(config, { redirectUri: this.ctx.deps.config.oauth.callbackUrl, state, codeChallenge: pkce.challenge }) };
  }

  /**
   * The provider's redirect. The state is consumed first (single use, 10 minutes), so a replayed
   * callback or a code injected with a spent state links nothing. Unknown, used or expired state →
   * 404 not_found; an `iss` that fails the RFC 9207 check → 400 invalid_request (nothing linked).
   * Anything after that answers 200 with `status` and the partner's `redirect_to`.
   */
  async complete(args: DeviceOAuthCallbackArgs): Promise<DeviceOAuthResultType> {
    const now = this.ctx.deps.now();
    const st = await this.ctx.em.transactional(async (em) => {
      const row = await em.findOne(OAuthLinkState, { stateHash: sha256Hex(args.state) }, { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ["codeVerifierEnc"] });
      if (!row || row.usedAt || row.expiresAt <= now) throw notFound("Authorization request");
      row.usedAt = now;
      await em.flush();
      return row;
    });
    const slug = st.providerSlug;
    const result = (status: DeviceLinkOutcome, error?: string): DeviceOAuthResultType => ({
      status,
      providerSlug: slug,
      redirectTo: withParams(st.redirectUri, { status, provider: slug, ...(error ? { error } : {}) }),
    });
    const config = oauthConfigFor(this.ctx.deps.config.oauth.providers, slug);
    // RFC 9207 mix-up defence, before the response (success or error) is acted on. The state is
    // already spent, so a rejected response cannot be retried with a corrected `iss`.
    const issuer = config ? issuerProblem(config, args.iss) : null;
    if (issuer) {
      this.ctx.deps.logger.warn({ request_id: this.ctx.requestId, provider_slug: slug, reason: issuer }, "device OAuth callback rejected");
      throw new DomainError(
        "invalid_request",
        issuer === "issuer_missing"
          ? "The authorization response is missing the issuer (iss) the provider always sends"
          : "The authorization response comes from a different issuer than this provider's",
        [{ field: "iss", code: issuer === "issuer_missing" ? "required" : "invalid_value", message: "must be the provider's issuer identifier (RFC 9207)" }],
      );
    }
    if (args.error || !args.code) return result(DeviceLinkOutcome.error, args.error ? safeErrorCode(args.error) : "invalid_callback");
    if (!isConfigured(config)) return result(DeviceLinkOutcome.error, "provider_not_configured");
    let tokens;
    try {
      const codeVerifier = this.ctx.deps.secretBox.decrypt(st.codeVerifierEnc);
      tokens = await exchangeCode(config, { code: args.code, redirectUri: this.ctx.deps.config.oauth.callbackUrl, codeVerifier }, now);
    } catch (e) {
      if (!(e instanceof ProviderCallError)) throw e;
      this.ctx.deps.logger.warn({ request_id: this.ctx.requestId, provider_slug: slug, reason: e.reason }, "device OAuth code exchange failed");
      return result(DeviceLinkOutcome.error, e.reason);
    }
    const user = await this.ctx.em.findOneOrFail(User, { id: st.user.id });
    await this.ctx.services.devices.link(user, slug, tokens);
    return result(DeviceLinkOutcome.connected);
  }
}
