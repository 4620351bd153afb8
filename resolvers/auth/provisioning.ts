import type { EntityManager } from "@mikro-orm/postgresql";
import crypto from "node:crypto";
import { SigningSecret } from "../../entities/auth/signing-secret.entity";
import { TenantKey } from "../../entities/auth/tenant-key.entity";
import { Org, OrgEnvironment } from "../../entities/partners/org.entity";
import type { SecretBox } from "../_shared/crypto";
import { generateTenantKey } from "./tenant-key-format";

export interface ProvisionedTenant {
  org_id: string;
  tenant_api_key: string;
  signing_secret: string;
}

/** Onboards a partner: org + first tenant key + first signing secret. The raw secrets exist only in the return value. */
export async function provisionTenant(em: EntityManager, secretBox: SecretBox, input: { name: string; environment: OrgEnvironment }): Promise<ProvisionedTenant> {
  const key = generateTenantKey(input.environment);
  const signingSecret = crypto.randomBytes(32).toString("base64");
  const slug =
    input.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 40) || "org";
  const org = await em.transactional(async (tem) => {
    const org = tem.create(Org, { name: input.name, key: `${slug}-${crypto.randomBytes(3).toString("hex")}`, environment: input.environment });
    tem.create(TenantKey, { id: key.id, org, name: "initial", secretHash: key.secretHash });
    tem.create(SigningSecret, { org, ciphertext: secretBox.encrypt(signingSecret) });
    return org;
  });
  return { org_id: org.id, tenant_api_key: key.raw, signing_secret: signingSecret };
}

export async function listTenants(em: EntityManager) {
  const orgs = await em.find(Org, {}, { orderBy: { createdAt: "asc" } });
  return orgs.map((o) => ({ org_id: o.id, name: o.name, key: o.key, environment: o.environment, created_at: o.createdAt.toISOString() }));
}
