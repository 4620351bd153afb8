/**
 * Partner-owned queue destinations. Each `type` has one adapter built on that system's official
 * client library. The dispatcher only sees this interface.
 */
export const QUEUE_TYPES = ["aws_sqs", "azure_event_hubs", "azure_storage_queue", "amqp", "nats", "redis_stream", "https_webhook"] as const;
export type QueueType = (typeof QUEUE_TYPES)[number];

/**
 * A parsed destination. `settings` are shown back to the partner (GET); `secrets` are write-only:
 * encrypted at rest, never returned, never logged.
 */
export interface QueueDestination {
  type: QueueType;
  settings: Record<string, string>;
  secrets: Record<string, string>;
}

export interface ParseOptions {
  /** EVENT_WEBHOOK_ALLOW_PRIVATE / loopback brokers: allow private and loopback targets (dev and tests). */
  allowPrivateTargets: boolean;
}

/** One signed event, ready to send. `body` is the exact envelope JSON string. */
export interface OutboundMessage {
  eventId: string;
  eventType: string;
  body: string;
  /** The envelope's `signature` value, mirrored as a header/attribute where the transport has them (`taih-signature`). */
  signature: string;
}

export interface QueuePublisher {
  /**
   * Resolves only once the destination acknowledged the message (broker confirm, 2xx, stored);
   * rejects on anything else, including not acknowledging within `timeoutMs`. Safe to call
   * concurrently. The error message is shown to the partner: it must not contain secrets.
   */
  publish(message: OutboundMessage, timeoutMs: number): Promise<void>;
  /** Releases connections. Idempotent. */
  close(): Promise<void>;
}

export interface QueueAdapter {
  readonly type: QueueType;
  /**
   * Validates the partner's settings for this type (camelCase keys, already type-checked as strings
   * by the GraphQL input) and splits them into shown settings and write-only secrets. Throws
   * `DomainError("validation_error", …, details)` with `field` paths like `amqp.url`.
   */
  parse(input: Record<string, unknown>, options: ParseOptions): QueueDestination;
  /** The settings as shown to the partner (e.g. a URL with its password removed). */
  describe(destination: QueueDestination): Record<string, string | null>;
  /** Opens a publisher (the dispatcher caches one per destination and reconnects after failures). */
  connect(destination: QueueDestination): Promise<QueuePublisher>;
}
