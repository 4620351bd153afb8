import {
  CompleteDeviceOAuthDocument,
  CreateDeviceLinkTokenDocument,
  DisconnectDeviceDocument,
  GetDeviceOAuthUrlDocument,
  GetDeviceStatusDocument,
  ListDeviceProvidersDocument,
  ListDevicesDocument,
  RefreshDevicesDocument,
  RegisterNativeDeviceDocument,
} from "../__generated__/operations";
import type { RouteDef } from "../route-table";

const tag = "Device management";

export const devicesRoutes: RouteDef[] = [
  {
    method: "GET",
    path: "/v1/devices",
    document: ListDeviceProvidersDocument,
    auth: "none",
    cacheControl: "private, max-age=300",
    tag,
    summary: "List supported providers",
    description:
      "The static provider catalogue (limit 10 by default, at most 200). No credential needed; any credential sent is still checked. Cacheable: `Cache-Control` and a strong `ETag`; `If-None-Match` with the current tag → 304.",
  },
  {
    method: "POST",
    path: "/v1/users/:user_id/devices/auth/token",
    document: CreateDeviceLinkTokenDocument,
    auth: "member",
    body: "input",
    tag,
    summary: "Create a link token",
    description:
      "A 10-minute, single-use token for one OAuth provider and this member; `redirect_uri` is where the member is sent after linking. " +
      "Unknown provider → 404; a native or credentials provider or a bad redirect_uri → 422; a provider without an OAuth client on this deployment → 409 provider_not_configured.",
  },
  {
    method: "GET",
    path: "/v1/devices/:provider_slug/oauth-url",
    document: GetDeviceOAuthUrlDocument,
    auth: "none",
    tag,
    summary: "Get the provider's OAuth URL",
    description:
      "The `link_token` is the only credential. Returns the provider's authorization URL (state + PKCE S256) and consumes the token: " +
      "unknown, used, expired or other-provider tokens → 404 not_found.",
  },
  {
    method: "GET",
    path: "/v1/devices/oauth/callback",
    document: CompleteDeviceOAuthDocument,
    auth: "none",
    tag,
    summary: "OAuth callback (provider redirect)",
    description:
      "The redirect URI registered with providers (OAUTH_CALLBACK_URL). Exchanges the code with the PKCE verifier, stores the tokens encrypted, " +
      "links the provider and starts its backfill. Answers 200 JSON `{status, provider_slug, redirect_to}` (not a 302): `redirect_to` is the link " +
      "token's redirect_uri with `status`, `provider` (and `error`) appended. Unknown, used or expired `state` → 404 not_found. " +
      "An `iss` that does not match the provider's configured issuer (RFC 9207), or a missing `iss` from a provider that advertises it → 400 invalid_request (the state is spent; nothing is stored).",
  },
  {
    method: "POST",
    path: "/v1/users/:user_id/devices/actions/register",
    document: RegisterNativeDeviceDocument,
    auth: "member",
    body: "input",
    tag,
    summary: "Register a native platform",
    description: "After the app obtained OS health permissions. `platform`: apple_health_kit or health_connect. Links the platform and starts the historical backfill.",
  },
  {
    method: "POST",
    path: "/v1/users/:user_id/devices/actions/refresh",
    document: RefreshDevicesDocument,
    auth: "member",
    status: 202,
    tag,
    summary: "Refresh cloud providers",
    description: "Force-sync of every connected cloud provider (rarely needed). Poll the job.",
  },
  {
    method: "GET",
    path: "/v1/users/:user_id/devices",
    document: ListDevicesDocument,
    auth: "member",
    tag,
    summary: "List the member's devices",
    description: "The member's provider links, oldest first (limit 10 by default, at most 200).",
  },
  {
    method: "GET",
    path: "/v1/users/:user_id/devices/:provider_slug/status",
    document: GetDeviceStatusDocument,
    auth: "member",
    tag,
    summary: "Get a provider's link status",
    description: "Connection, backfill and data freshness per supported resource. A supported provider that is not linked reads `disconnected`.",
  },
  {
    method: "DELETE",
    path: "/v1/users/:user_id/devices/:provider_slug",
    document: DisconnectDeviceDocument,
    auth: "member",
    status: 204,
    tag,
    summary: "Disconnect a provider",
    description:
      "Revokes the provider's tokens where it supports revocation and purges the member's data from that provider only. Irreversible; re-linking starts a fresh backfill.",
  },
];
