import { Field, ObjectType } from "type-graphql";
import { PageType } from "../_shared/pagination";
import { DateTimeScalar, EmailScalar, UUIDScalar } from "../_shared/scalars";
import { InviteStatus, OrgMemberScope } from "./partners.enum";

@ObjectType("Invite", { description: "An invitation to your org's admin portal. The one-time token itself is never shown again after creation." })
export class InviteType {
  @Field(() => UUIDScalar) id!: string;
  @Field(() => EmailScalar, { description: "Lower-cased." }) email!: string;
  @Field(() => OrgMemberScope) scope!: OrgMemberScope;
  @Field(() => String, { description: "First 8 characters of the one-time token, to tell invites apart." }) tokenPrefix!: string;
  @Field(() => InviteStatus) status!: InviteStatus;
  @Field(() => DateTimeScalar, { description: "7 days after creation." }) expiresAt!: Date;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar, { nullable: true }) acceptedAt?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) revokedAt?: Date | null;
}

@ObjectType("NewInvite", { description: "A just-created invite, with its one-time URL. Only `createInvite` returns this type." })
export class NewInviteType extends InviteType {
  @Field(() => String, {
    description:
      "Relative URL carrying the one-time token (`/v1/admin/org/invites/accept?token=…`). Returned only here. " +
      "Deliver it to the invitee; accepting means sending the token to POST /v1/admin/org/invites/accept (acceptInvite).",
  })
  inviteUrl!: string;
}

@ObjectType("InvitePage")
export class InvitePageType extends PageType(InviteType) {}
