import { LockMode } from "@mikro-orm/core";
import { TenantKey } from "../../entities/auth/tenant-key.entity";
import { Org } from "../../entities/partners/org.entity";
import type { Page, PageArgs } from "../../schema/_shared/pagination";
import type { CreateTenantKeyInput } from "../../schema/partners/tenant-key.input";
import type { NewTenantKeyType, TenantKeyType } from "../../schema/partners/tenant-key.type";
import { generateTenantKey } from "../auth";
import { requireTenant, unauthorized } from "../_shared/authz";
import type { Context } from "../_shared/context";
import { DomainError, notFound } from "../_shared/errors";
import { toTenantKey } from "./partners.mapper";

/** Multi-key management. Single-key rotation with a grace period stays in `auth` (rotateTenantKey). */
export class TenantKeysService {
  constructor(private readonly ctx: Context) {}

  /** The raw key exists only in this return value; the row keeps the SHA-256 of its secret. */
  async create(input: CreateTenantKeyInput): Promise<NewTenantKeyType> {
    const tenant = requireTenant(this.ctx.viewer);
    const fresh = generateTenantKey(tenant.environment);
    const key = this.ctx.em.create(TenantKey, {
      id: fresh.id,
      org: this.ctx.em.getReference(Org, tenant.orgId),
      name: input.name.trim(),
      secretHash: fresh.secretHash,
      createdAt: this.ctx.deps.now(),
    });
    await this.ctx.em.flush();
    return { ...toTenantKey(key, tenant.environment, tenant.keyId), secret: fresh.raw };
  }

  /** Oldest first. Revoked keys only with `includeRevoked`; keys past a rotation grace period are listed with `expiresAt`. */
  async list(args: PageArgs, includeRevoked: boolean): Promise<Page<TenantKeyType>> {
    const tenant = requireTenant(this.ctx.viewer);
    const [rows, total] = await this.ctx.em.findAndCount(
      TenantKey,
      { org: tenant.orgId, ...(includeRevoked ? {} : { revokedAt: null }) },
      // refresh: authenticate() bumped last_used_at with a native update after loading the current key.
      { orderBy: { createdAt: "asc", id: "asc" }, limit: args.limit, offset: args.offset, refresh: true },
    );
    return {
      items: rows.map((k) => toTenantKey(k, tenant.environment, tenant.keyId)),
      pagination: { limit: args.limit, offset: args.offset, total },
    };
  }

  /**
   * Revocation takes effect on the next request (authenticate checks revoked_at every time).
   * Revoking an already revoked key is a no-op.
   */
  async revoke(keyId: string): Promise<boolean> {
    const tenant = requireTenant(this.ctx.viewer);
    if (keyId === tenant.keyId) throw new DomainError("cannot_revoke_self", "The tenant key that authenticated this request cannot revoke itself");
    const now = this.ctx.deps.now();
    await this.ctx.em.transactional(async (em) => {
      // Serialise revocations per org and re-check the caller under the lock, so two keys revoking
      // each other concurrently cannot both succeed and lock the partner out.
      await em.findOneOrFail(Org, { id: tenant.orgId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      const caller = await em.findOne(TenantKey, { id: tenant.keyId }, { refresh: true });
      if (!caller || caller.revokedAt || (caller.expiresAt && caller.expiresAt <= now)) throw unauthorized("Invalid, expired or revoked tenant key");
      const key = await em.findOne(TenantKey, { id: keyId, org: tenant.orgId });
      if (!key) throw notFound("Tenant key");
      key.revokedAt ??= now;
    });
    return true;
  }
}
