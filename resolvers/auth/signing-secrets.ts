import type { EntityManager } from "@mikro-orm/postgresql";
import { SigningSecret } from "../../entities/auth/signing-secret.entity";
import type { SecretBox } from "../_shared/crypto";

/**
 * The signing secrets that sign events now, per org, newest first: the current one plus any
 * rotated one still inside its grace window. Decrypted only in memory, never logged.
 */
export async function validSigningSecrets(em: EntityManager, box: SecretBox, orgIds: string[], now: Date): Promise<Map<string, string[]>> {
  const rows = await em.find(SigningSecret, { org: { $in: orgIds }, $or: [{ expiresAt: null }, { expiresAt: { $gt: now } }] }, { orderBy: { createdAt: "desc" } });
  const byOrg = new Map<string, string[]>();
  for (const s of rows) byOrg.set(s.org.id, [...(byOrg.get(s.org.id) ?? []), box.decrypt(s.ciphertext)]);
  return byOrg;
}
