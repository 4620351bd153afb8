import {
  AcceptInviteDocument,
  CreateInviteDocument,
  CreateTenantKeyDocument,
  GetOrgDocument,
  ListInvitesDocument,
  ListOrgMembersDocument,
  ListTenantKeysDocument,
  RemoveOrgMemberDocument,
  RevokeInviteDocument,
  RevokeTenantKeyDocument,
  UpdateOrgDocument,
} from "../__generated__/operations";
import type { RouteDef } from "../route-table";

const tag = "Partner management";

export const partnersRoutes: RouteDef[] = [
  { method: "GET", path: "/v1/admin/org", document: GetOrgDocument, auth: "tenant", tag, summary: "Get your org" },
  {
    method: "PATCH", path: "/v1/admin/org", document: UpdateOrgDocument, auth: "tenant", body: "input", tag, summary: "Rename your org",
    description: "Only `name` (1–200 characters) may change. Sending `id` or `key` → 422 immutable_field. Returns the full org.",
  },
  {
    method: "GET", path: "/v1/admin/org/members", document: ListOrgMembersDocument, auth: "tenant", tag, summary: "List org members",
    description: "Admin-portal users who joined through an invite (not health members), oldest first.",
  },
  {
    method: "DELETE", path: "/v1/admin/org/members/:member_id", document: RemoveOrgMemberDocument, auth: "tenant", status: 204, tag,
    summary: "Remove an org member",
  },
  {
    method: "POST", path: "/v1/admin/org/invites", document: CreateInviteDocument, auth: "tenant", status: 201, body: "input", tag,
    summary: "Invite an org member",
    description:
      "Creates a 7-day invite (scope defaults to admin). `invite_url` carries the one-time token and appears only in this response. " +
      "A pending invite for the same email → 409 invite_pending.",
  },
  {
    method: "GET", path: "/v1/admin/org/invites", document: ListInvitesDocument, auth: "tenant", tag, summary: "List invites",
    description: "Oldest first, without `invite_url`. `expired` means never accepted or revoked and past `expires_at`.",
  },
  {
    method: "DELETE", path: "/v1/admin/org/invites/:invite_id", document: RevokeInviteDocument, auth: "tenant", status: 204, tag,
    summary: "Revoke an invite", description: "409 invite_already_accepted or invite_already_revoked when it can no longer be revoked.",
  },
  {
    method: "POST", path: "/v1/admin/org/invites/accept", document: AcceptInviteDocument, auth: "none", status: 201, body: "input", tag,
    summary: "Accept an invite",
    description:
      "Send the token from `invite_url`; it is the only credential needed. Creates the org member. " +
      "Unknown, used, revoked or expired tokens → 404 not_found.",
  },
  {
    method: "POST", path: "/v1/admin/org/tenant-keys", document: CreateTenantKeyDocument, auth: "tenant", status: 201, body: "input", tag,
    summary: "Create a tenant key", description: "`secret` is the full key and is returned exactly once.",
  },
  {
    method: "GET", path: "/v1/admin/org/tenant-keys", document: ListTenantKeysDocument, auth: "tenant", tag, summary: "List tenant keys",
    description: "Metadata only, oldest first. `is_current` marks the key that authenticated this request.",
  },
  {
    method: "DELETE", path: "/v1/admin/org/tenant-keys/:key_id", document: RevokeTenantKeyDocument, auth: "tenant", status: 204, tag,
    summary: "Revoke a tenant key",
    description: "The key gets 401 from the next request on. Revoking the key that authenticated this request → 409 cannot_revoke_self.",
  },
];
