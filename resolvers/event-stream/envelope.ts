import { formatInstant } from "../../schema/_shared/scalars";
import { signPayload } from "./signature";

export interface EnvelopeSource {
  id: string;
  eventType: string;
  orgId: string;
  subjectUserId: string | null;
  occurredAt: Date;
  body: string;
}

/**
 * The signed envelope, serialized with a fixed field order. `body` is the exact JSON string that
 * was stored at commit time, so receivers verify byte-for-byte; `signed_at` is the attempt's time.
 */
export function buildEnvelope(ev: EnvelopeSource, signedAt: Date, secrets: string[]): { json: string; signature: string } {
  const signed_at = formatInstant(signedAt);
  const signature = signPayload(secrets, ev.id, signed_at, ev.body);
  const json = JSON.stringify({
    event_id: ev.id,
    event_type: ev.eventType,
    api_version: "v1",
    org_id: ev.orgId,
    user_id: ev.subjectUserId,
    occurred_at: formatInstant(ev.occurredAt),
    signed_at,
    body: ev.body,
    signature,
  });
  return { json, signature };
}
