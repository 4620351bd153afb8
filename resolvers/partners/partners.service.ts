import { Org, OrgEnvironment } from "../../entities/partners/org.entity";
import { OrgMember } from "../../entities/partners/org-member.entity";
import type { Page, PageArgs } from "../../schema/_shared/pagination";
import type { UpdateOrgInput } from "../../schema/partners/org.input";
import { requireTenant } from "../_shared/authz";
import type { Context } from "../_shared/context";
import { DomainError, notFound, type ErrorDetail } from "../_shared/errors";
import { InvitesService } from "./invites.service";
import { TenantKeysService } from "./tenant-keys.service";

const IMMUTABLE_ORG_FIELDS = ["id", "key"] as const;

/**
 * Partner management (`/v1/admin/org/*`): the org itself and its admin-portal members here;
 * invites and tenant keys in their own use-case services. Everything is tenant-key only, except
 * accepting an invite, which the invite token authenticates.
 */
export class PartnersService {
  readonly invites: InvitesService;
  readonly tenantKeys: TenantKeysService;

  constructor(private readonly ctx: Context) {
    this.invites = new InvitesService(ctx);
    this.tenantKeys = new TenantKeysService(ctx);
  }

  async getOrg(): Promise<Org> {
    const tenant = requireTenant(this.ctx.viewer);
    const org = await this.ctx.em.findOne(Org, { id: tenant.orgId });
    if (!org) throw notFound("Org");
    return org;
  }

  /**
   * The sandbox-only rule for on-demand tools (sandbox nudges, program generation): the caller's
   * org must be a sandbox org, else 403 forbidden with `what` named. Tenant key only.
   */
  async requireSandboxOrg(what: string): Promise<Org> {
    const org = await this.getOrg();
    if (org.environment !== OrgEnvironment.sandbox) throw new DomainError("forbidden", `${what} is available to sandbox orgs only; this org is a production org`);
    return org;
  }

  memberCount(org: Org): Promise<number> {
    return this.ctx.em.count(OrgMember, { org: org.id });
  }

  /** `name` and `nudgeDelivery` may change; sending `id` or `key` (with any value) is 422 immutable_field. */
  async updateOrg(input: UpdateOrgInput): Promise<Org> {
    requireTenant(this.ctx.viewer);
    const immutable: ErrorDetail[] = IMMUTABLE_ORG_FIELDS.filter((f) => input[f] !== undefined).map((field) => ({
      field,
      code: "immutable_field",
      message: "cannot be changed",
    }));
    if (immutable.length) throw new DomainError("immutable_field", "The org's id and key cannot be changed", immutable);
    const org = await this.getOrg();
    // null is refused by the input's @NotNullWhenPresent before the service runs.
    if (input.name != null) org.name = input.name.trim();
    if (input.nudgeDelivery != null) org.nudgeDelivery = input.nudgeDelivery;
    await this.ctx.em.flush();
    return org;
  }

  async listMembers(args: PageArgs): Promise<Page<OrgMember>> {
    const tenant = requireTenant(this.ctx.viewer);
    const [items, total] = await this.ctx.em.findAndCount(
      OrgMember,
      { org: tenant.orgId },
      { orderBy: { createdAt: "asc", id: "asc" }, limit: args.limit, offset: args.offset },
    );
    return { items, pagination: { limit: args.limit, offset: args.offset, total } };
  }

  /** Another org's member is not_found, like a missing one. */
  async removeMember(memberId: string): Promise<boolean> {
    const tenant = requireTenant(this.ctx.viewer);
    const deleted = await this.ctx.em.nativeDelete(OrgMember, { id: memberId, org: tenant.orgId });
    if (!deleted) throw notFound("Member");
    return true;
  }
}
