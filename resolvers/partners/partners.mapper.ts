import type { TenantKey } from "../../entities/auth/tenant-key.entity";
import type { OrgInvite } from "../../entities/partners/org-invite.entity";
import type { InviteType } from "../../schema/partners/invite.type";
import { InviteStatus } from "../../schema/partners/partners.enum";
import type { TenantKeyType } from "../../schema/partners/tenant-key.type";

/** `expired` is computed: an invite never accepted or revoked whose `expiresAt` has passed. */
export function inviteStatus(invite: OrgInvite, now: Date): InviteStatus {
  if (invite.acceptedAt) return InviteStatus.accepted;
  if (invite.revokedAt) return InviteStatus.revoked;
  if (invite.supersededAt || invite.expiresAt <= now) return InviteStatus.expired;
  return InviteStatus.pending;
}

export function toInvite(invite: OrgInvite, now: Date): InviteType {
  return {
    id: invite.id,
    email: invite.email,
    scope: invite.scope,
    tokenPrefix: invite.tokenPrefix,
    status: inviteStatus(invite, now),
    expiresAt: invite.expiresAt,
    createdAt: invite.createdAt,
    acceptedAt: invite.acceptedAt ?? null,
    revokedAt: invite.revokedAt ?? null,
  };
}

export function toTenantKey(key: TenantKey, environment: string, currentKeyId: string | null): TenantKeyType {
  return {
    id: key.id,
    name: key.name,
    prefix: `ak_${environment}_${key.id}`,
    createdAt: key.createdAt,
    lastUsedAt: key.lastUsedAt ?? null,
    revokedAt: key.revokedAt ?? null,
    expiresAt: key.expiresAt ?? null,
    isCurrent: key.id === currentKeyId,
  };
}
