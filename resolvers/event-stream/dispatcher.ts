import type { EntityManager } from "@mikro-orm/postgresql";
import crypto from "node:crypto";
import { EventStatus } from "../../entities/event-stream/event.entity";
import { QueueConfig } from "../../entities/event-stream/queue-config.entity";
import { validSigningSecrets } from "../auth";
import type { AppDeps } from "../_shared/deps";
import type { QueueAdapter, QueueDestination, QueuePublisher, QueueType } from "./adapters/types";
import { DEFAULT_QUEUE } from "./catalog";
import { CLAIM_LEASE_MS, nextAttemptAfterFailure } from "./delivery-policy";
import { buildEnvelope } from "./envelope";

interface ClaimedRow {
  id: string;
  org_id: string;
  subject_user_id: string | null;
  event_type: string;
  stream: string | null;
  target_queue: string | null;
  occurred_at: Date;
  body: string;
  attempts: number;
  first_attempt_at: Date | null;
}

interface Outcome {
  id: string;
  status: EventStatus;
  attempts: number;
  next_at: Date | null;
  delivered_at: Date | null;
  error: string | null;
  attempt_id: string;
  attempted_at: Date;
  queue_name: string;
  queue_type: string;
  outcome: "delivered" | "failed";
  latency_ms: number;
}

/** What one pass did; tests and the bench read it. */
export interface PassResult {
  claimed: number;
  delivered: number;
  failed: number;
}

/**
 * Delivers outbox events to partner queues. Any number of dispatchers (one per worker process)
 * share the outbox: a pass claims due events with FOR UPDATE SKIP LOCKED and leases them, so a
 * crashed worker's events become due again after the lease instead of being lost. Events whose
 * stream has no queue (and no `default` queue) are not claimed: they stay buffered until one is
 * registered. Time comes from `deps.now()`, so tests drive the retry schedule.
 */
export class Dispatcher {
  private readonly publishers = new Map<string, Promise<QueuePublisher>>();

  constructor(
    private readonly deps: AppDeps,
    private readonly adapters: ReadonlyMap<QueueType, QueueAdapter>,
  ) {}

  /** Claims and delivers up to one batch. */
  async runOnce(): Promise<PassResult> {
    const em = this.deps.orm.em.fork() as EntityManager;
    const now = this.deps.now();
    const rows = await this.claim(em, now);
    if (rows.length === 0) return { claimed: 0, delivered: 0, failed: 0 };
    const orgIds = [...new Set(rows.map((r) => r.org_id))];
    const [queues, secrets] = await Promise.all([this.loadQueues(em, orgIds), validSigningSecrets(em, this.deps.secretBox, orgIds, now)]);
    const results = await Promise.all(rows.map((row) => this.deliver(row, queues, secrets, now)));
    const outcomes = results.filter((r): r is Outcome => r !== null);
    await this.record(
      em,
      outcomes,
      rows.filter((_, i) => results[i] === null).map((r) => r.id),
      now,
    );
    const delivered = outcomes.filter((o) => o.outcome === "delivered").length;
    return { claimed: rows.length, delivered, failed: rows.length - delivered };
  }

  /** Runs passes until nothing is due (used by tests and after a wake-up). */
  async drain(maxPasses = 1000): Promise<PassResult> {
    const total: PassResult = { claimed: 0, delivered: 0, failed: 0 };
    for (let i = 0; i < maxPasses; i++) {
      const r = await this.runOnce();
      total.claimed += r.claimed;
      total.delivered += r.delivered;
      total.failed += r.failed;
      if (r.claimed === 0) break;
    }
    return total;
  }

  async close(): Promise<void> {
    const all = [...this.publishers.values()];
    this.publishers.clear();
    await Promise.all(all.map(async (p) => (await p.catch(() => null))?.close()));
  }

  private async claim(em: EntityManager, now: Date): Promise<ClaimedRow[]> {
    return em.getConnection().execute<ClaimedRow[]>(
      `with due as (
         select e.id from events e
          where e.status = 'pending' and e.next_attempt_at <= ?
            and exists (select 1 from org_queues q
                         where q.org_id = e.org_id
                           and (q.queue_name = coalesce(e.target_queue, e.stream)
                                or (e.target_queue is null and q.queue_name = '${DEFAULT_QUEUE}')))
          order by e.next_attempt_at
          limit ?
          for update of e skip locked)
       update events e set next_attempt_at = ?::timestamptz, first_attempt_at = coalesce(e.first_attempt_at, ?::timestamptz)
         from due where e.id = due.id
       returning e.id, e.org_id, e.subject_user_id, e.event_type, e.stream, e.target_queue, e.occurred_at, e.body, e.attempts, e.first_attempt_at`,
      [now, this.deps.config.events.batchSize, new Date(now.getTime() + CLAIM_LEASE_MS), now],
    );
  }

  private async loadQueues(em: EntityManager, orgIds: string[]) {
    const rows = await em.find(QueueConfig, { org: { $in: orgIds } });
    return new Map(rows.map((q) => [`${q.org.id}/${q.queueName}`, q]));
  }

  /** Publishes one claimed event; returns its outcome (written for the whole pass at once), or null if it went back to the buffer. */
  private async deliver(row: ClaimedRow, queues: Map<string, QueueConfig>, secrets: Map<string, string[]>, now: Date): Promise<Outcome | null> {
    const name = row.target_queue ?? row.stream ?? DEFAULT_QUEUE;
    const queue = queues.get(`${row.org_id}/${name}`) ?? (row.target_queue ? undefined : queues.get(`${row.org_id}/${DEFAULT_QUEUE}`));
    if (!queue) return null;
    const attemptNo = row.attempts + 1;
    const started = Date.now();
    let error: string | null = null;
    try {
      const envelope = buildEnvelope(
        { id: row.id, eventType: row.event_type, orgId: row.org_id, subjectUserId: row.subject_user_id, occurredAt: new Date(row.occurred_at), body: row.body },
        this.deps.now(),
        secrets.get(row.org_id) ?? [],
      );
      const publisher = await this.publisherFor(queue);
      await publisher.publish({ eventId: row.id, eventType: row.event_type, body: envelope.json, signature: envelope.signature }, this.deps.config.events.ackTimeoutMs);
    } catch (err) {
      error = (err instanceof Error ? err.message : String(err)).slice(0, 500) || "delivery failed";
      await this.evict(queue);
    }
    const firstAttemptAt = row.first_attempt_at ? new Date(row.first_attempt_at) : now;
    const next = error === null ? null : nextAttemptAfterFailure(attemptNo, firstAttemptAt, now);
    const status = error === null ? EventStatus.delivered : next ? EventStatus.pending : EventStatus.failed;
    if (status === EventStatus.failed) this.deps.logger.warn({ event_id: row.id, org_id: row.org_id, attempts: attemptNo }, "event delivery failed permanently");
    return {
      id: row.id,
      status,
      attempts: attemptNo,
      next_at: next,
      delivered_at: error === null ? now : null,
      error,
      attempt_id: crypto.randomUUID(),
      attempted_at: now,
      queue_name: queue.queueName,
      queue_type: queue.type,
      outcome: error === null ? "delivered" : "failed",
      latency_ms: Date.now() - started,
    };
  }

  /**
   * Records a whole pass in one statement: every event's new state and its attempt row commit
   * together (one commit per pass, not per event). Events deleted meanwhile (member purge) are skipped.
   */
  private async record(em: EntityManager, outcomes: Outcome[], buffered: string[], now: Date): Promise<void> {
    if (buffered.length) await em.getConnection().execute("update events set next_attempt_at = ? where id = any(?::uuid[])", [now, `{${buffered.join(",")}}`]);
    if (!outcomes.length) return;
    await em.getConnection().execute(
      `with o as (
         select * from jsonb_to_recordset(?::jsonb) as t(
           id uuid, status event_status, attempts int, next_at timestamptz, delivered_at timestamptz, error text,
           attempt_id uuid, attempted_at timestamptz, queue_name text, queue_type text, outcome text, latency_ms int)),
       upd as (
         update events e set status = o.status, attempts = o.attempts, next_attempt_at = coalesce(o.next_at, e.next_attempt_at),
                delivered_at = o.delivered_at, last_error = o.error
           from o where e.id = o.id returning e.id)
       insert into event_delivery_attempts (id, event_id, attempt_no, attempted_at, queue_name, queue_type, outcome, latency_ms, error)
       select o.attempt_id, o.id, o.attempts, o.attempted_at, o.queue_name, o.queue_type, o.outcome, o.latency_ms, o.error
         from o join upd on upd.id = o.id`,
      [JSON.stringify(outcomes)],
    );
  }

  private cacheKey(q: QueueConfig) {
    return `${q.id}:${q.updatedAt.getTime()}`;
  }

  private publisherFor(q: QueueConfig): Promise<QueuePublisher> {
    const key = this.cacheKey(q);
    let p = this.publishers.get(key);
    if (!p) {
      // A replaced configuration (PUT) gets a new key; close the previous publisher.
      for (const k of [...this.publishers.keys()]) if (k.startsWith(`${q.id}:`)) void this.evictKey(k);
      const adapter = this.adapters.get(q.type as QueueType);
      if (!adapter) return Promise.reject(new Error(`unsupported queue type ${q.type}`));
      const destination: QueueDestination = {
        type: q.type as QueueType,
        settings: q.settings,
        secrets: JSON.parse(this.deps.secretBox.decrypt(q.secretsCiphertext)) as QueueDestination["secrets"],
      };
      p = adapter.connect(destination);
      p.catch(() => this.publishers.delete(key));
      this.publishers.set(key, p);
    }
    return p;
  }

  private evict(q: QueueConfig): Promise<void> {
    return this.evictKey(this.cacheKey(q));
  }

  private async evictKey(key: string): Promise<void> {
    const p = this.publishers.get(key);
    this.publishers.delete(key);
    await (await p?.catch(() => null))?.close();
  }
}
