import crypto from "node:crypto";
import type { OutboundMessage, QueueAdapter, QueueDestination, QueuePublisher } from "../../resolvers/event-stream/adapters/types";
import { DomainError } from "../../resolvers/_shared/errors";

/** A signed-looking message with a unique event id (adapters treat body and signature as opaque). */
export function sampleMessage(): OutboundMessage {
  const eventId = crypto.randomUUID();
  const body = JSON.stringify({ event_id: eventId, event_type: "program.updated", body: JSON.stringify({ user_id: crypto.randomUUID() }) });
  return { eventId, eventType: "program.updated", body, signature: `v1,${crypto.randomBytes(32).toString("base64")}` };
}

/** The `{field, code}` pairs of the validation_error thrown by `fn` (fails if it does not throw one). */
export function detailsOf(fn: () => unknown): { field: string; code: string }[] {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe("validation_error");
    return (err as DomainError).details.map(({ field, code }) => ({ field, code }));
  }
  throw new Error("parse accepted invalid settings");
}

/** The same, as sorted `field:code` strings. */
export const detailStrings = (fn: () => unknown): string[] =>
  detailsOf(fn)
    .map((d) => `${d.field}:${d.code}`)
    .sort();

/**
 * The SSRF guard at connect time: a destination whose host name resolves to a loopback address
 * connects (parsing is not enough to know), but publishing is refused. `cleanup` collects the
 * publisher so the test file closes it.
 */
export async function expectLoopbackHostRefused(adapter: QueueAdapter, destination: QueueDestination, cleanup: QueuePublisher[]): Promise<void> {
  const publisher = await adapter.connect(destination);
  cleanup.push(publisher);
  await expect(publisher.publish(sampleMessage(), 5000)).rejects.toThrow(/private, loopback or link-local/);
}
