import { LockMode } from "@mikro-orm/core";
import jwt from "jsonwebtoken";
import crypto from "node:crypto";
import { SigningSecret } from "../../entities/auth/signing-secret.entity";
import { TenantKey } from "../../entities/auth/tenant-key.entity";
import { Org } from "../../entities/partners/org.entity";
import type { IssueTokenInput, RotateSigningSecretInput, RotateTenantKeyInput } from "../../schema/auth/auth.type";
import { requireTenant, unauthorized } from "../_shared/authz";
import type { Context } from "../_shared/context";
import { validationError } from "../_shared/errors";
import { JWT_AUDIENCE, JWT_ISSUER } from "./authenticate";
import { generateTenantKey } from "./tenant-key-format";

export const DEFAULT_GRACE_SECONDS = 24 * 3600;
const MIN_SECRET_BYTES = 32;

export class AuthService {
  constructor(private readonly ctx: Context) {}

  /** Mints a member bearer token for one of the caller's members. */
  async issueToken(input: IssueTokenInput) {
    const tenant = requireTenant(this.ctx.viewer);
    await this.ctx.services.users.requireMember(input.userId);
    const ttl = this.ctx.deps.config.memberTokenTtlSeconds;
    const now = Math.floor(this.ctx.deps.now().getTime() / 1000);
    const accessToken = jwt.sign(
      { sub: input.userId, org_id: tenant.orgId, scope: "member", iat: now, exp: now + ttl, jti: crypto.randomUUID() },
      this.ctx.deps.secretBox.jwtKey,
      { algorithm: "HS256", issuer: JWT_ISSUER, audience: JWT_AUDIENCE },
    );
    return { accessToken, tokenType: "Bearer", expiresIn: ttl };
  }

  /** Issues a new key; the key that authenticated this call keeps working for the grace period. */
  async rotateTenantKey(input: RotateTenantKeyInput | null | undefined) {
    const tenant = requireTenant(this.ctx.viewer);
    const graceMs = (input?.gracePeriodSeconds ?? DEFAULT_GRACE_SECONDS) * 1000;
    const now = this.ctx.deps.now();
    return this.ctx.em.transactional(async (em) => {
      const current = await em.findOne(TenantKey, { id: tenant.keyId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!current || current.revokedAt) throw unauthorized("Invalid, expired or revoked tenant key");
      const graceEnd = new Date(now.getTime() + graceMs);
      current.expiresAt = current.expiresAt && current.expiresAt < graceEnd ? current.expiresAt : graceEnd;
      const fresh = generateTenantKey(tenant.environment);
      em.create(TenantKey, {
        id: fresh.id,
        org: em.getReference(Org, tenant.orgId),
        name: `rotated ${now.toISOString().slice(0, 10)}`,
        secretHash: fresh.secretHash,
        createdAt: now,
      });
      await em.flush();
      return { newTenantApiKey: fresh.raw, previousKeyExpiresAt: current.expiresAt };
    });
  }

  /** Starts a new signing secret; every secret current now keeps signing until the grace window ends. */
  async rotateSigningSecret(input: RotateSigningSecretInput | null | undefined) {
    const tenant = requireTenant(this.ctx.viewer);
    const supplied = input?.secret ?? null;
    if (supplied !== null) assertStrongSecret(supplied);
    const secret = supplied ?? crypto.randomBytes(MIN_SECRET_BYTES).toString("base64");
    const graceMs = (input?.gracePeriodSeconds ?? DEFAULT_GRACE_SECONDS) * 1000;
    const now = this.ctx.deps.now();
    const previousExpiresAt = new Date(now.getTime() + graceMs);
    await this.ctx.em.transactional(async (em) => {
      // Lock the org row so two concurrent rotations serialise instead of leaving two "current" secrets.
      await em.findOneOrFail(Org, { id: tenant.orgId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      await em.nativeUpdate(SigningSecret, { org: tenant.orgId, expiresAt: null }, { expiresAt: previousExpiresAt });
      await em.nativeUpdate(SigningSecret, { org: tenant.orgId, expiresAt: { $gt: previousExpiresAt } }, { expiresAt: previousExpiresAt });
      em.create(SigningSecret, {
        org: em.getReference(Org, tenant.orgId),
        ciphertext: this.ctx.deps.secretBox.encrypt(secret),
        createdAt: now,
      });
    });
    return { signingSecretRotatedAt: now, previousSecretExpiresAt: previousExpiresAt, secret: supplied === null ? secret : null };
  }
}

/** A partner-supplied secret must decode (base64 or hex) to at least 32 bytes. */
function assertStrongSecret(secret: string): void {
  const field = "secret";
  let bytes: number | null = null;
  if (/^[0-9a-fA-F]+$/.test(secret) && secret.length % 2 === 0) bytes = secret.length / 2;
  else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(secret)) bytes = Buffer.from(secret, secret.includes("-") || secret.includes("_") ? "base64url" : "base64").length;
  if (bytes === null) throw validationError([{ field, code: "invalid_value", message: "must be base64 or hex" }]);
  if (bytes < MIN_SECRET_BYTES) {
    throw validationError([{ field, code: "too_short", message: `must decode to at least ${MIN_SECRET_BYTES} bytes` }]);
  }
}
