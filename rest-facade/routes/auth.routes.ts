import { IssueTokenDocument, RotateSigningSecretDocument, RotateTenantKeyDocument } from "../__generated__/operations";
import type { RouteDef } from "../route-table";

export const authRoutes: RouteDef[] = [
  {
    method: "POST",
    path: "/v1/auth/token",
    document: IssueTokenDocument,
    auth: "tenant",
    body: "input",
    tag: "Authentication",
    summary: "Issue a member token",
    description: "Exchange the tenant key and one of your user_ids for a member bearer token (JWT, 3600 s). Unknown user → 404.",
  },
  {
    method: "POST",
    path: "/v1/auth/tenant-key/rotate",
    document: RotateTenantKeyDocument,
    auth: "tenant",
    body: "input",
    tag: "Authentication",
    summary: "Rotate the tenant key",
    description: "Returns the new key exactly once. The calling key keeps working for `grace_period_seconds` (default 86400, max 604800).",
  },
  {
    method: "POST",
    path: "/v1/auth/signing-secret/rotate",
    document: RotateSigningSecretDocument,
    auth: "tenant",
    body: "input",
    tag: "Authentication",
    summary: "Rotate the event-signing secret",
    description:
      "Send your own `secret` (≥ 32 bytes, base64 or hex) or omit it to have one generated and returned once. Previous secrets keep signing for the grace window.",
  },
];
