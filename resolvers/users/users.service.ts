import { UniqueConstraintViolationException } from "@mikro-orm/core";
import { Org } from "../../entities/partners/org.entity";
import { User } from "../../entities/users/user.entity";
import type { PageArgs } from "../../schema/_shared/pagination";
import type { CreateUserInput, UpdateUserInput } from "../../schema/users/user.input";
import { requireAuthenticated, requireTenant, unauthorized } from "../_shared/authz";
import type { Context } from "../_shared/context";
import { DomainError, notFound, validationError } from "../_shared/errors";
import { emitEvent } from "../event-stream";
import { formatInstant } from "../../schema/_shared/scalars";
import type { Viewer } from "../_shared/viewer";

const PROFILE_FIELDS = [
  "name",
  "email",
  "phone",
  "timezone",
  "birthday",
  "weight",
  "weightUnit",
  "height",
  "heightUnit",
  "preferences",
  "preExistingConditions",
  "gender",
  "ethnicity",
] as const;

/**
 * The member-access rule, first half (before any read): a member token reaches only its own
 * user_id; a tenant key any user_id of its own org (the read itself filters by org).
 */
export function assertMayReach(viewer: Viewer, userId: string): void {
  const v = requireAuthenticated(viewer);
  if (v.kind === "member" && v.userId !== userId) throw notFound("User");
}

/** Second half, on the row the org-filtered read found (or null). */
export function assertReachable<U extends { createdAt: Date | string }>(viewer: Viewer, user: U | null | undefined): U {
  if (viewer.kind === "member") {
    // The path names the token's own member (assertMayReach). If that member is gone, or the token
    // was minted before this registration (an earlier, deleted one), the token is what is invalid: 401.
    if (!user || viewer.issuedAt < Math.floor(new Date(user.createdAt).getTime() / 1000)) {
      throw unauthorized("The member this token was issued for no longer exists; mint a new token");
    }
  }
  if (!user) throw notFound("User");
  return user;
}

export class UsersService {
  constructor(private readonly ctx: Context) {}

  /**
   * The single member-access rule every member-scoped domain goes through: a member token reaches
   * only its own user; a tenant key reaches only its own org's users. Anything else is 404, never 403,
   * so ids cannot be probed across members or partners.
   */
  async requireMember(userId: string): Promise<User> {
    assertMayReach(this.ctx.viewer, userId);
    const user = await this.ctx.services.userLoaders.byPartnerId.load(userId);
    return assertReachable(this.ctx.viewer, user);
  }

  async create(input: CreateUserInput): Promise<User> {
    const tenant = requireTenant(this.ctx.viewer);
    const user = this.ctx.em.create(User, {
      org: this.ctx.em.getReference(Org, tenant.orgId),
      partnerUserId: input.userId,
      firstName: input.firstName ?? null,
      lastName: input.lastName ?? null,
      // The profile's `name` starts as the registration name; PATCH owns it from then on.
      name: [input.firstName, input.lastName].filter(Boolean).join(" ") || null,
      email: input.email ?? null,
      externalId: input.externalId ?? null,
    });
    try {
      await this.ctx.em.flush();
    } catch (e) {
      if (e instanceof UniqueConstraintViolationException) throw new DomainError("conflict", "A user with this user_id already exists");
      throw e;
    }
    return user;
  }

  async list(args: PageArgs) {
    const tenant = requireTenant(this.ctx.viewer);
    const [items, total] = await this.ctx.em.findAndCount(
      User,
      { org: tenant.orgId },
      { orderBy: { createdAt: "asc", id: "asc" }, limit: args.limit, offset: args.offset },
    );
    return { items, pagination: { limit: args.limit, offset: args.offset, total } };
  }

  async update(userId: string, input: UpdateUserInput): Promise<User> {
    const user = await this.requireMember(userId);
    // A birthday after today's date everywhere on Earth (UTC+14, the earliest zone) is a typo, not a member.
    if (input.birthday && input.birthday > new Date(this.ctx.deps.now().getTime() + 14 * 3_600_000).toISOString().slice(0, 10)) {
      throw validationError([{ field: "birthday", code: "out_of_range", message: "must not be in the future" }]);
    }
    for (const f of PROFILE_FIELDS) {
      if (input[f] !== undefined) (user as unknown as Record<string, unknown>)[f] = input[f];
    }
    if (input.location !== undefined) {
      const loc = input.location;
      if (loc === null) {
        user.locationCity = user.locationState = user.locationCountry = null;
      } else {
        if (loc.city !== undefined) user.locationCity = loc.city;
        if (loc.state !== undefined) user.locationState = loc.state;
        if (loc.country !== undefined) user.locationCountry = loc.country;
      }
    }
    await this.ctx.em.flush();
    return user;
  }

  /**
   * Irreversible purge: every member-owned row (their events included) references the user with
   * ON DELETE CASCADE. The `user.deleted` event that tells the partner carries only the user_id.
   */
  async delete(userId: string): Promise<boolean> {
    const user = await this.requireMember(userId);
    await this.ctx.em.transactional(async (em) => {
      await em.nativeDelete(User, { id: user.id });
      const now = this.ctx.deps.now();
      await emitEvent(em, {
        orgId: user.org.id,
        type: "user.deleted",
        subjectUserId: user.partnerUserId,
        body: { user_id: user.partnerUserId, deleted_at: formatInstant(now) },
        occurredAt: now,
      });
    });
    this.ctx.services.userLoaders.byPartnerId.clear(userId);
    return true;
  }
}
