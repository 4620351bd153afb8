export { AuthResolver } from "./auth.resolver";
export { AuthService, DEFAULT_GRACE_SECONDS } from "./auth.service";
export { authenticate } from "./authenticate";
export { listTenants, provisionTenant, type ProvisionedTenant } from "./provisioning";
export { generateTenantKey, parseTenantKey } from "./tenant-key-format";
export { validSigningSecrets } from "./signing-secrets";
