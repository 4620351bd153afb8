import { amqpAdapter } from "./amqp.adapter";
import { awsSqsAdapter } from "./aws-sqs.adapter";
import { azureEventHubsAdapter } from "./azure-event-hubs.adapter";
import { azureStorageQueueAdapter } from "./azure-storage-queue.adapter";
import { httpsWebhookAdapter } from "./https-webhook.adapter";
import { natsAdapter } from "./nats.adapter";
import { redisStreamAdapter } from "./redis-stream.adapter";
import type { QueueAdapter, QueueType } from "./types";

/** Every destination type's adapter. */
export const ADAPTERS: ReadonlyMap<QueueType, QueueAdapter> = new Map<QueueType, QueueAdapter>(
  [awsSqsAdapter, azureEventHubsAdapter, azureStorageQueueAdapter, amqpAdapter, natsAdapter, redisStreamAdapter, httpsWebhookAdapter].map((a) => [a.type, a]),
);

export * from "./types";
