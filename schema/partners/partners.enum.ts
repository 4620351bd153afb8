import { registerEnumType } from "type-graphql";
import { OrgMemberScope } from "../../entities/partners/org-member.entity";

/** Derived from an invite's timestamps at read time; never stored. */
export enum InviteStatus {
  pending = "pending",
  accepted = "accepted",
  revoked = "revoked",
  expired = "expired",
}

registerEnumType(OrgMemberScope, {
  name: "OrgMemberScope",
  description: "What an admin-portal member may do in your org.",
});
registerEnumType(InviteStatus, {
  name: "InviteStatus",
  valuesConfig: {
    pending: { description: "Open and not yet expired; the token can be accepted." },
    accepted: { description: "Accepted; the invitee is an org member." },
    revoked: { description: "Revoked before it was accepted." },
    expired: { description: "Never accepted and past `expiresAt`; the token no longer works." },
  },
});

export { OrgMemberScope };
