import vector from "../fixtures/signature-vector.json";
import { buildEnvelope } from "../../resolvers/event-stream/envelope";
import { signPayload, verifySignature } from "../../resolvers/event-stream/signature";

describe("event signature (committed test vector)", () => {
  const { envelope } = vector;

  it("reproduces the committed signature", () => {
    expect(signPayload([vector.secret], envelope.event_id, envelope.signed_at, envelope.body)).toBe(vector.expected_signature);
    expect(envelope.signature).toBe(vector.expected_signature);
  });

  it("carries one entry per valid secret during a rotation, and each verifies", () => {
    const sig = signPayload(vector.rotation.secrets, envelope.event_id, envelope.signed_at, envelope.body);
    expect(sig).toBe(vector.rotation.expected_signature);
    for (const secret of vector.rotation.secrets) expect(verifySignature(secret, { ...envelope, signature: sig })).toBe(true);
  });

  it("rejects any change to the body, signed_at or event_id, and a wrong secret", () => {
    expect(verifySignature(vector.secret, envelope)).toBe(true);
    expect(verifySignature(vector.secret, { ...envelope, body: envelope.body.replace("weekly", "Weekly") })).toBe(false);
    expect(verifySignature(vector.secret, { ...envelope, signed_at: "2026-03-16T08:00:06Z" })).toBe(false);
    expect(verifySignature(vector.secret, { ...envelope, event_id: envelope.event_id.replace("3b", "3c") })).toBe(false);
    expect(verifySignature(`${vector.secret}x`, envelope)).toBe(false);
  });

  it("builds the envelope with the documented field order and the exact body string", () => {
    const built = buildEnvelope(
      {
        id: envelope.event_id,
        eventType: envelope.event_type,
        orgId: envelope.org_id,
        subjectUserId: envelope.user_id,
        occurredAt: new Date(envelope.occurred_at),
        body: envelope.body,
      },
      new Date(envelope.signed_at),
      [vector.secret],
    );
    expect(built.json).toBe(JSON.stringify(envelope));
    expect(built.signature).toBe(vector.expected_signature);
  });
});
