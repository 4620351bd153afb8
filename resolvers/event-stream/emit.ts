import type { EntityManager } from "@mikro-orm/postgresql";
import { EventRecord } from "../../entities/event-stream/event.entity";
import { Org } from "../../entities/partners/org.entity";
import { User } from "../../entities/users/user.entity";
import { assertEventBody, EVENT_CATALOG, type EventType } from "./catalog";

export const EVENTS_CHANNEL = "thrive_events";
/** NOTIFY payloads are capped at 8000 bytes; larger bodies are announced without the body. */
const NOTIFY_BODY_LIMIT = 6000;

export interface EmitInput {
  orgId: string;
  type: EventType;
  body: Record<string, unknown>;
  /** The member the event is about (internal row; their events are purged with them). */
  user?: User | null;
  /** The partner's user_id for the envelope; defaults to `user.partnerUserId`. */
  subjectUserId?: string | null;
  /** test.ping only: the queue to deliver to. */
  targetQueue?: string | null;
  occurredAt: Date;
}

/** What every process hears (LISTEN) when an event commits: wakes dispatchers, feeds subscriptions. */
export interface CommittedEvent {
  id: string;
  org_id: string;
  user_id: string | null;
  type: string;
  occurred_at: string;
  body: Record<string, unknown> | null;
}

/**
 * Writes an event into the outbox inside the caller's transaction (`em` must be the transactional
 * fork), so the event exists if and only if the change that caused it commits. NOTIFY is
 * transactional too: listeners hear it on commit, never for a rolled-back change.
 */
export async function emitEvent(em: EntityManager, input: EmitInput): Promise<EventRecord> {
  return (await emitEvents(em, [input]))[0];
}

/** `emitEvent` for many events at once: one flush (batched inserts) and one NOTIFY statement. */
export async function emitEvents(em: EntityManager, inputs: EmitInput[]): Promise<EventRecord[]> {
  if (inputs.length === 0) return [];
  const rows = inputs.map((input) => {
    assertEventBody(input.type, input.body);
    const body = JSON.stringify(input.body);
    const ev = em.create(EventRecord, {
      org: em.getReference(Org, input.orgId),
      user: input.user ?? null,
      subjectUserId: input.subjectUserId ?? input.user?.partnerUserId ?? null,
      eventType: input.type,
      stream: EVENT_CATALOG[input.type].stream,
      targetQueue: input.targetQueue ?? null,
      occurredAt: input.occurredAt,
      body,
      nextAttemptAt: input.occurredAt,
    });
    return { ev, input, body };
  });
  await em.flush();
  const notices = rows.map(({ ev, input, body }): string =>
    JSON.stringify({
      id: ev.id,
      org_id: input.orgId,
      user_id: ev.subjectUserId ?? null,
      type: input.type,
      occurred_at: input.occurredAt.toISOString(),
      body: body.length <= NOTIFY_BODY_LIMIT ? input.body : null,
    } satisfies CommittedEvent),
  );
  await em.execute("select pg_notify(?, n) from json_array_elements_text(?::json) as n", [EVENTS_CHANNEL, JSON.stringify(notices)]);
  return rows.map((r) => r.ev);
}
