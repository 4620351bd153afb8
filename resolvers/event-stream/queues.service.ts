import { UniqueConstraintViolationException } from "@mikro-orm/core";
import crypto from "node:crypto";
import { QueueConfig } from "../../entities/event-stream/queue-config.entity";
import { Org } from "../../entities/partners/org.entity";
import type { QueueConfigType, QueueInput } from "../../schema/event-stream/queue.type";
import { validSigningSecrets } from "../auth";
import { requireTenant } from "../_shared/authz";
import type { Context } from "../_shared/context";
import { DomainError, validationError } from "../_shared/errors";
import { ADAPTERS, type QueueDestination, type QueueType } from "./adapters";
import { QUEUE_NAMES } from "./catalog";
import { emitEvent } from "./emit";
import { buildEnvelope } from "./envelope";

/** GraphQL field (camelCase) holding each type's settings. */
const SETTINGS_FIELD: Record<QueueType, keyof QueueInput & keyof QueueConfigType> = {
  aws_sqs: "awsSqs",
  azure_event_hubs: "azureEventHubs",
  azure_storage_queue: "azureStorageQueue",
  amqp: "amqp",
  nats: "nats",
  redis_stream: "redisStream",
  https_webhook: "httpsWebhook",
};

export class QueuesService {
  constructor(private readonly ctx: Context) {}

  private assertName(queueName: string): void {
    if (!(QUEUE_NAMES as readonly string[]).includes(queueName)) {
      throw validationError([{ field: "queueName", code: "invalid_value", message: `must be one of: ${QUEUE_NAMES.join(", ")}` }]);
    }
  }

  /** Validates the body, then proves the destination works with a synthetic, signed test publish. */
  private async parseAndProbe(queueName: string, input: QueueInput): Promise<QueueDestination> {
    this.assertName(queueName);
    if (input.queueName != null && input.queueName !== queueName) {
      throw validationError([{ field: "queueName", code: "invalid_value", message: "must equal the queue_name in the path" }]);
    }
    const adapter = ADAPTERS.get(input.type);
    if (!adapter) throw validationError([{ field: "type", code: "invalid_value", message: "is not a supported queue type" }]);
    const field = SETTINGS_FIELD[input.type];
    const others = Object.entries(SETTINGS_FIELD).filter(([t, f]) => t !== input.type && input[f] != null);
    if (others.length) {
      throw validationError(others.map(([, f]) => ({ field: f, code: "invalid_value", message: `must be omitted when type is ${input.type}` })));
    }
    const settings = (input[field] ?? null) as Record<string, unknown> | null;
    if (!settings) throw validationError([{ field, code: "required", message: `is required when type is ${input.type}` }]);
    const destination = adapter.parse(settings, { allowPrivateTargets: this.ctx.deps.config.events.allowPrivateTargets });
    await this.probe(destination, queueName);
    return destination;
  }

  private async probe(destination: QueueDestination, queueName: string): Promise<void> {
    const adapter = ADAPTERS.get(destination.type)!;
    const tenant = requireTenant(this.ctx.viewer);
    const now = this.ctx.deps.now();
    const body = JSON.stringify({ message: "Synthetic test publish before saving this queue configuration", queue_name: queueName });
    const ev = { id: crypto.randomUUID(), eventType: "test.ping", orgId: tenant.orgId, subjectUserId: null, occurredAt: now, body };
    const secrets = (await validSigningSecrets(this.ctx.em, this.ctx.deps.secretBox, [tenant.orgId], now)).get(tenant.orgId) ?? [];
    const envelope = buildEnvelope(ev, now, secrets);
    let publisher;
    try {
      publisher = await adapter.connect(destination);
      await publisher.publish({ eventId: ev.id, eventType: ev.eventType, body: envelope.json, signature: envelope.signature }, this.ctx.deps.config.events.ackTimeoutMs);
    } catch (err) {
      const reason = (err instanceof Error ? err.message : String(err)).slice(0, 300);
      throw new DomainError("invalid_request", `The test publish to this queue failed: ${reason}`);
    } finally {
      await publisher?.close();
    }
  }

  private toView(q: QueueConfig): QueueConfigType {
    const type = q.type as QueueType;
    const shown = ADAPTERS.get(type)?.describe({ type, settings: q.settings, secrets: {} }) ?? q.settings;
    return { queueName: q.queueName, type, [SETTINGS_FIELD[type]]: shown, createdAt: q.createdAt, updatedAt: q.updatedAt };
  }

  async create(queueName: string, input: QueueInput): Promise<QueueConfigType> {
    const tenant = requireTenant(this.ctx.viewer);
    const dest = await this.parseAndProbe(queueName, input);
    const row = this.ctx.em.create(QueueConfig, {
      org: this.ctx.em.getReference(Org, tenant.orgId),
      queueName,
      type: dest.type,
      settings: dest.settings,
      secretsCiphertext: this.ctx.deps.secretBox.encrypt(JSON.stringify(dest.secrets)),
    });
    try {
      await this.ctx.em.flush();
    } catch (e) {
      if (e instanceof UniqueConstraintViolationException) {
        throw new DomainError("queue_already_configured", "A queue is already configured under this name; use PUT to replace it");
      }
      throw e;
    }
    return this.toView(row);
  }

  async replace(queueName: string, input: QueueInput): Promise<QueueConfigType> {
    const row = await this.find(queueName);
    const dest = await this.parseAndProbe(queueName, input);
    row.type = dest.type;
    row.settings = dest.settings;
    row.secretsCiphertext = this.ctx.deps.secretBox.encrypt(JSON.stringify(dest.secrets));
    row.updatedAt = this.ctx.deps.now();
    await this.ctx.em.flush();
    return this.toView(row);
  }

  /** Reads (GET, DELETE, test) answer 404 for any name without a queue, a name that can never have one included. */
  private async find(queueName: string): Promise<QueueConfig> {
    const tenant = requireTenant(this.ctx.viewer);
    const row = await this.ctx.em.findOne(QueueConfig, { org: tenant.orgId, queueName });
    if (!row) throw new DomainError("queue_not_configured", "No queue is configured under this name");
    return row;
  }

  async get(queueName: string): Promise<QueueConfigType> {
    return this.toView(await this.find(queueName));
  }

  async list(): Promise<QueueConfigType[]> {
    const tenant = requireTenant(this.ctx.viewer);
    const rows = await this.ctx.em.find(QueueConfig, { org: tenant.orgId }, { orderBy: { queueName: "asc" } });
    return rows.map((r) => this.toView(r));
  }

  /** Later events of this stream are buffered until a queue is registered again. */
  async delete(queueName: string): Promise<boolean> {
    const row = await this.find(queueName);
    await this.ctx.em.removeAndFlush(row);
    return true;
  }

  /** Sends a `test.ping` through the outbox to this queue (signed, recorded, retried like any event). */
  async test(queueName: string) {
    const tenant = requireTenant(this.ctx.viewer);
    await this.find(queueName);
    const ev = await this.ctx.em.transactional((em) =>
      emitEvent(em, {
        orgId: tenant.orgId,
        type: "test.ping",
        body: { message: "Test event requested through the API", queue_name: queueName },
        targetQueue: queueName,
        occurredAt: this.ctx.deps.now(),
      }),
    );
    return { eventId: ev.id, status: "accepted" };
  }
}
