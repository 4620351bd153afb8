import { LockMode, UniqueConstraintViolationException, type FilterQuery } from "@mikro-orm/core";
import { OrgInvite } from "../../entities/partners/org-invite.entity";
import { OrgMember } from "../../entities/partners/org-member.entity";
import { Org } from "../../entities/partners/org.entity";
import type { Page, PageArgs } from "../../schema/_shared/pagination";
import type { AcceptInviteInput, CreateInviteInput } from "../../schema/partners/invite.input";
import type { InviteType, NewInviteType } from "../../schema/partners/invite.type";
import { InviteStatus } from "../../schema/partners/partners.enum";
import { requireTenant } from "../_shared/authz";
import type { Context } from "../_shared/context";
import { randomToken, sha256Hex } from "../_shared/crypto";
import { DomainError, notFound } from "../_shared/errors";
import { inviteStatus, toInvite } from "./partners.mapper";

export const INVITE_TTL_MS = 7 * 24 * 3600 * 1000;
const TOKEN_PREFIX_LENGTH = 8;
/**
 * The invite URL is relative: there is no configured public base URL. It names the accept route and
 * carries the token, which the invitee's client sends as `{"token"}` to that route.
 */
export const ACCEPT_PATH = "/v1/admin/org/invites/accept";

const alreadyMember = () => new DomainError("conflict", "This email already belongs to a member of the org");
const normalizeEmail = (email: string) => email.trim().toLowerCase();

/** The SQL form of `inviteStatus()`: the same derivation, evaluated against the same `now`. */
function inviteFilter(orgId: string, status: InviteStatus | null | undefined, now: Date): FilterQuery<OrgInvite> {
  const open = { org: orgId, acceptedAt: null, revokedAt: null };
  switch (status) {
    case InviteStatus.pending:
      return { ...open, supersededAt: null, expiresAt: { $gt: now } };
    case InviteStatus.expired:
      return { ...open, $or: [{ supersededAt: { $ne: null } }, { expiresAt: { $lte: now } }] };
    case InviteStatus.accepted:
      return { org: orgId, acceptedAt: { $ne: null } };
    case InviteStatus.revoked:
      return { org: orgId, revokedAt: { $ne: null } };
    default:
      return { org: orgId };
  }
}

export class InvitesService {
  constructor(private readonly ctx: Context) {}

  /**
   * Creates a 7-day invite and returns its one-time URL (only here). Only the token's SHA-256 is
   * stored. A second open invite for the email is refused by the partial unique index, so
   * concurrent creates cannot both succeed: the loser gets 409 invite_pending.
   */
  async create(input: CreateInviteInput): Promise<NewInviteType> {
    const tenant = requireTenant(this.ctx.viewer);
    const email = normalizeEmail(input.email);
    const now = this.ctx.deps.now();
    const token = randomToken(32);
    const invite = await this.ctx.em.transactional(async (em) => {
      if ((await em.count(OrgMember, { org: tenant.orgId, email })) > 0) throw alreadyMember();
      // An expired open invite still holds the (org, email) slot of the unique index: close it first.
      await em.nativeUpdate(
        OrgInvite,
        { org: tenant.orgId, email, acceptedAt: null, revokedAt: null, supersededAt: null, expiresAt: { $lte: now } },
        { supersededAt: now },
      );
      const created = em.create(OrgInvite, {
        org: em.getReference(Org, tenant.orgId),
        email,
        scope: input.scope,
        tokenHash: sha256Hex(token),
        tokenPrefix: token.slice(0, TOKEN_PREFIX_LENGTH),
        createdAt: now,
        expiresAt: new Date(now.getTime() + INVITE_TTL_MS),
      });
      try {
        await em.flush();
      } catch (e) {
        if (e instanceof UniqueConstraintViolationException) throw new DomainError("invite_pending", "A pending invite already exists for this email");
        throw e;
      }
      return created;
    });
    return { ...toInvite(invite, now), inviteUrl: `${ACCEPT_PATH}?token=${token}` };
  }

  /** Oldest first; `status` is derived (expired = never accepted or revoked and past expires_at). */
  async list(args: PageArgs, status: InviteStatus | null | undefined): Promise<Page<InviteType>> {
    const tenant = requireTenant(this.ctx.viewer);
    const now = this.ctx.deps.now();
    const [rows, total] = await this.ctx.em.findAndCount(OrgInvite, inviteFilter(tenant.orgId, status, now), {
      orderBy: { createdAt: "asc", id: "asc" },
      limit: args.limit,
      offset: args.offset,
    });
    return { items: rows.map((r) => toInvite(r, now)), pagination: { limit: args.limit, offset: args.offset, total } };
  }

  async revoke(inviteId: string): Promise<boolean> {
    const tenant = requireTenant(this.ctx.viewer);
    // One conditional UPDATE: it waits for a concurrent accept's row lock and then sees its result.
    const revoked = await this.ctx.em.nativeUpdate(OrgInvite, { id: inviteId, org: tenant.orgId, acceptedAt: null, revokedAt: null }, { revokedAt: this.ctx.deps.now() });
    if (revoked) return true;
    const invite = await this.ctx.em.findOne(OrgInvite, { id: inviteId, org: tenant.orgId });
    if (!invite) throw notFound("Invite");
    if (invite.acceptedAt) throw new DomainError("invite_already_accepted", "The invite was already accepted");
    throw new DomainError("invite_already_revoked", "The invite is already revoked");
  }

  /**
   * The token is the credential: no tenant key or member token is needed. Unknown, used, revoked
   * and expired tokens are all 404 not_found, so a token's state cannot be probed. The invite row
   * is locked, so one token yields at most one member even under concurrent accepts.
   */
  async accept(input: AcceptInviteInput): Promise<OrgMember> {
    const now = this.ctx.deps.now();
    const tokenHash = sha256Hex(input.token);
    return this.ctx.em.transactional(async (em) => {
      const invite = await em.findOne(OrgInvite, { tokenHash }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!invite || inviteStatus(invite, now) !== InviteStatus.pending) throw notFound("Invite");
      invite.acceptedAt = now;
      const member = em.create(OrgMember, {
        org: invite.org,
        email: invite.email,
        name: input.name?.trim() ?? null,
        scope: invite.scope,
        createdAt: now,
      });
      try {
        await em.flush();
      } catch (e) {
        if (e instanceof UniqueConstraintViolationException) throw alreadyMember();
        throw e;
      }
      return member;
    });
  }
}
