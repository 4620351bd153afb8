import { DomainError } from "./errors";
import type { MemberViewer, TenantViewer, Viewer } from "./viewer";

export const unauthorized = (message = "Authentication required: send taih-tenant-key or a member bearer token") => new DomainError("unauthorized", message);

/** Tenant-key callers only. A member token here is a valid credential without permission: 403. */
export function requireTenant(viewer: Viewer): TenantViewer {
  if (viewer.kind === "tenant") return viewer;
  if (viewer.kind === "member") throw new DomainError("forbidden", "This operation requires the tenant key");
  throw unauthorized();
}

export function requireAuthenticated(viewer: Viewer): TenantViewer | MemberViewer {
  if (viewer.kind === "anonymous") throw unauthorized();
  return viewer;
}
