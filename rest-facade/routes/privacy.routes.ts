import { GetPrivacySettingsDocument, UpdatePrivacySettingsDocument } from "../__generated__/operations";
import type { RouteDef } from "../route-table";

export const privacyRoutes: RouteDef[] = [
  {
    method: "GET",
    path: "/v1/users/:user_id/privacy-settings",
    document: GetPrivacySettingsDocument,
    auth: "member",
    tag: "Privacy settings",
    summary: "Get privacy settings",
  },
  {
    method: "PATCH",
    path: "/v1/users/:user_id/privacy-settings",
    document: UpdatePrivacySettingsDocument,
    auth: "member",
    status: 204,
    body: "input",
    tag: "Privacy settings",
    summary: "Update privacy settings",
    description: "Partial update. Consent changes apply to future sessions.",
  },
];
