import crypto from "node:crypto";

/**
 * Secrets at rest. One master key (32 bytes) derives purpose-specific keys with HKDF so that a
 * leak of one derived key (e.g. the JWT key) does not expose data encrypted for another purpose.
 */
export class SecretBox {
  private readonly encKey: Buffer;
  /**
   * A KeyObject, not raw bytes: jsonwebtoken turns raw bytes into a key on every sign and verify
   * (trying createPublicKey first, which throws), about 0.2 ms per request on the hot path.
   */
  readonly jwtKey: crypto.KeyObject;

  constructor(masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error("master key must be 32 bytes");
    this.encKey = SecretBox.derive(masterKey, "thrive/encryption/v1");
    this.jwtKey = crypto.createSecretKey(SecretBox.derive(masterKey, "thrive/member-jwt/v1"));
  }

  private static derive(master: Buffer, label: string): Buffer {
    return Buffer.from(crypto.hkdfSync("sha256", master, Buffer.alloc(0), label, 32));
  }

  /** AES-256-GCM; output `v1.<iv>.<tag>.<ciphertext>` in base64url. */
  encrypt(plaintext: string): string {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv("aes-256-gcm", this.encKey, iv);
    const ct = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ct.toString("base64url")].join(".");
  }

  decrypt(sealed: string): string {
    const [v, iv, tag, ct] = sealed.split(".");
    if (v !== "v1" || !iv || !tag || ct === undefined) throw new Error("unsupported ciphertext format");
    const decipher = crypto.createDecipheriv("aes-256-gcm", this.encKey, Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ct, "base64url")), decipher.final()]).toString("utf8");
  }
}

export const sha256Hex = (value: string | Buffer) => crypto.createHash("sha256").update(value).digest("hex");

/** Constant-time comparison of two hex digests of equal length. */
export function digestsEqual(aHex: string, bHex: string): boolean {
  const a = Buffer.from(aHex, "hex");
  const b = Buffer.from(bHex, "hex");
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

export const randomToken = (bytes: number) => crypto.randomBytes(bytes).toString("base64url");
