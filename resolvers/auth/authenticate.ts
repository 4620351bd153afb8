import type { EntityManager } from "@mikro-orm/postgresql";
import jwt from "jsonwebtoken";
import { TenantKey } from "../../entities/auth/tenant-key.entity";
import { unauthorized } from "../_shared/authz";
import { digestsEqual, sha256Hex } from "../_shared/crypto";
import type { AppDeps } from "../_shared/deps";
import { DomainError } from "../_shared/errors";
import type { Credentials, Viewer } from "../_shared/viewer";
import { parseTenantKey } from "./tenant-key-format";

export const JWT_ISSUER = "thrive-partner-api";
export const JWT_AUDIENCE = "thrive-partner-api/member";
const DUMMY_HASH = sha256Hex("timing-equaliser");
const LAST_USED_RESOLUTION_MS = 60_000;

/** Resolves the caller from the presented credentials. Never reveals why a credential failed. */
export async function authenticate(em: EntityManager, deps: AppDeps, creds: Credentials): Promise<Viewer> {
  const hasKey = !!creds.tenantKey;
  const hasBearer = !!creds.authorization;
  if (hasKey && hasBearer) {
    throw new DomainError("invalid_request", "Send either the taih-tenant-key header or an authorization bearer token, not both");
  }
  if (hasKey) return verifyTenantKey(em, deps, creds.tenantKey!);
  if (hasBearer) return verifyMemberToken(deps, creds.authorization!);
  return { kind: "anonymous" };
}

// Built only when thrown: an Error captures a stack trace, which a successful request should not pay for.
const invalidTenantKey = () => unauthorized("Invalid, expired or revoked tenant key");
const invalidMemberToken = () => unauthorized("Invalid or expired member token");

async function verifyTenantKey(em: EntityManager, deps: AppDeps, raw: string): Promise<Viewer> {
  const parsed = parseTenantKey(raw);
  if (!parsed) throw invalidTenantKey();
  const key = await em.findOne(TenantKey, { id: parsed.id }, { populate: ["org"] });
  const matches = digestsEqual(sha256Hex(parsed.secret), key?.secretHash ?? DUMMY_HASH);
  const now = deps.now();
  if (!key || !matches || key.revokedAt || (key.expiresAt && key.expiresAt <= now) || key.org.environment !== parsed.environment) {
    throw invalidTenantKey();
  }
  if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await em.nativeUpdate(TenantKey, { id: key.id }, { lastUsedAt: now });
  }
  return {
    kind: "tenant",
    orgId: key.org.id,
    keyId: key.id,
    environment: key.org.environment,
    ...(key.expiresAt ? { expiresAt: key.expiresAt.getTime() } : {}),
  };
}

function verifyMemberToken(deps: AppDeps, authorization: string): Viewer {
  const m = /^Bearer\s+([A-Za-z0-9_\-.]+)$/i.exec(authorization.trim());
  if (!m) throw invalidMemberToken();
  let claims: jwt.JwtPayload;
  try {
    const decoded = jwt.verify(m[1], deps.secretBox.jwtKey, {
      algorithms: ["HS256"],
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
      clockTimestamp: Math.floor(deps.now().getTime() / 1000),
    });
    if (typeof decoded === "string") throw invalidMemberToken();
    claims = decoded;
  } catch {
    throw invalidMemberToken();
  }
  if (typeof claims.sub !== "string" || typeof claims.org_id !== "string" || claims.scope !== "member" || typeof claims.iat !== "number") {
    throw invalidMemberToken();
  }
  return {
    kind: "member",
    orgId: claims.org_id,
    userId: claims.sub,
    scope: "member",
    issuedAt: claims.iat,
    ...(typeof claims.exp === "number" ? { expiresAt: claims.exp * 1000 } : {}),
  };
}
