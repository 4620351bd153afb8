import { Arg, Args, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { Org } from "../../entities/partners/org.entity";
import { PaginationArgs, type PageArgs } from "../../schema/_shared/pagination";
import { UUIDScalar } from "../../schema/_shared/scalars";
import { AcceptInviteInput, CreateInviteInput } from "../../schema/partners/invite.input";
import { InvitePageType, NewInviteType } from "../../schema/partners/invite.type";
import { UpdateOrgInput } from "../../schema/partners/org.input";
import { OrgMemberPageType, OrgMemberType, OrgType } from "../../schema/partners/org.type";
import { InviteStatus } from "../../schema/partners/partners.enum";
import { CreateTenantKeyInput } from "../../schema/partners/tenant-key.input";
import { NewTenantKeyType, TenantKeyPageType } from "../../schema/partners/tenant-key.type";
import type { Context } from "../_shared/context";

@Resolver(() => OrgType)
export class PartnersResolver {
  @Query(() => OrgType, { description: "Your org, as identified by the tenant key. Tenant key." })
  org(@Ctx() ctx: Context) {
    return ctx.services.partners.getOrg();
  }

  @Mutation(() => OrgType, { description: "Rename the org. `id` and `key` are immutable (422 immutable_field). Tenant key." })
  updateOrg(@Arg("input", () => UpdateOrgInput) input: UpdateOrgInput, @Ctx() ctx: Context) {
    return ctx.services.partners.updateOrg(input);
  }

  @FieldResolver(() => Int)
  memberCount(@Root() org: Org, @Ctx() ctx: Context) {
    return ctx.services.partners.memberCount(org);
  }

  @Query(() => OrgMemberPageType, { description: "Admin-portal members of your org, oldest first. Tenant key." })
  orgMembers(@Args(() => PaginationArgs) args: PageArgs, @Ctx() ctx: Context) {
    return ctx.services.partners.listMembers(args);
  }

  @Mutation(() => Boolean, { description: "Remove an admin-portal member. Tenant key." })
  removeOrgMember(@Arg("memberId", () => UUIDScalar) memberId: string, @Ctx() ctx: Context) {
    return ctx.services.partners.removeMember(memberId);
  }

  @Mutation(() => NewInviteType, {
    description: "Invite someone to your org's admin portal (valid 7 days). The invite URL is returned only here. Tenant key.",
  })
  createInvite(@Arg("input", () => CreateInviteInput) input: CreateInviteInput, @Ctx() ctx: Context) {
    return ctx.services.partners.invites.create(input);
  }

  @Query(() => InvitePageType, { description: "Your org's invites, oldest first, optionally filtered by status. Tenant key." })
  invites(
    @Args(() => PaginationArgs) args: PageArgs,
    @Arg("status", () => InviteStatus, { nullable: true, description: "Only invites in this status." }) status: InviteStatus | null,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.partners.invites.list(args, status);
  }

  @Mutation(() => Boolean, { description: "Revoke an invite that was not accepted. Tenant key." })
  revokeInvite(@Arg("inviteId", () => UUIDScalar) inviteId: string, @Ctx() ctx: Context) {
    return ctx.services.partners.invites.revoke(inviteId);
  }

  @Mutation(() => OrgMemberType, {
    description: "Accept an invite: the one-time token is the credential (no tenant key or member token needed). Unknown, used, revoked or expired tokens are not_found.",
  })
  acceptInvite(@Arg("input", () => AcceptInviteInput) input: AcceptInviteInput, @Ctx() ctx: Context) {
    return ctx.services.partners.invites.accept(input);
  }

  @Mutation(() => NewTenantKeyType, { description: "Issue an additional tenant key. Its secret is returned only here. Tenant key." })
  createTenantKey(@Arg("input", () => CreateTenantKeyInput) input: CreateTenantKeyInput, @Ctx() ctx: Context) {
    return ctx.services.partners.tenantKeys.create(input);
  }

  @Query(() => TenantKeyPageType, { description: "Your org's tenant keys (metadata only), oldest first. Tenant key." })
  tenantKeys(
    @Args(() => PaginationArgs) args: PageArgs,
    @Arg("includeRevoked", () => Boolean, { defaultValue: false, description: "Also list revoked keys." }) includeRevoked: boolean,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.partners.tenantKeys.list(args, includeRevoked);
  }

  @Mutation(() => Boolean, { description: "Revoke a tenant key; it fails with 401 from the next request on. Not the calling key (409 cannot_revoke_self). Tenant key." })
  revokeTenantKey(@Arg("keyId", () => String) keyId: string, @Ctx() ctx: Context) {
    return ctx.services.partners.tenantKeys.revoke(keyId);
  }
}
