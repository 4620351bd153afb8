import crypto from "node:crypto";
import { OrgEnvironment } from "../../entities/partners/org.entity";
import { randomToken, sha256Hex } from "../_shared/crypto";

/** `ak_{environment}_{id}.{secret}`: the id finds the row, the secret is checked against its hash. */
const KEY_RE = /^ak_(sandbox|production)_([a-z0-9]{16})\.([A-Za-z0-9_-]{43})$/;

export interface ParsedTenantKey {
  environment: OrgEnvironment;
  id: string;
  secret: string;
}

export function parseTenantKey(raw: string): ParsedTenantKey | null {
  const m = KEY_RE.exec(raw.trim());
  // KEY_RE admits only OrgEnvironment's values.
  return m ? { environment: m[1] as OrgEnvironment, id: m[2], secret: m[3] } : null;
}

export function generateTenantKey(environment: string) {
  const id = crypto.randomBytes(8).toString("hex");
  const secret = randomToken(32);
  return { id, raw: `ak_${environment}_${id}.${secret}`, secretHash: sha256Hex(secret) };
}
