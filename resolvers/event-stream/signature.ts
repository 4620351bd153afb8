import crypto from "node:crypto";

/**
 * Standard-Webhooks-style signature over `event_id + "." + signed_at + "." + body`, HMAC-SHA256
 * keyed with the signing secret's UTF-8 bytes exactly as issued, base64-encoded, prefixed `v1,`.
 * During a rotation's grace window one entry per valid secret, space-separated.
 */
export function signPayload(secrets: string[], eventId: string, signedAt: string, body: string): string {
  const content = `${eventId}.${signedAt}.${body}`;
  return secrets.map((s) => `v1,${crypto.createHmac("sha256", Buffer.from(s, "utf8")).update(content).digest("base64")}`).join(" ");
}

/** Receiver-side check (also used by our tests and docs): true when any `v1,` entry matches the secret. */
export function verifySignature(secret: string, envelope: { event_id: string; signed_at: string; body: string; signature: string }): boolean {
  const expected = Buffer.from(signPayload([secret], envelope.event_id, envelope.signed_at, envelope.body));
  return envelope.signature.split(" ").some((sig) => {
    const got = Buffer.from(sig);
    return got.length === expected.length && crypto.timingSafeEqual(got, expected);
  });
}
