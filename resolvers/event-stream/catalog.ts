import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";

/**
 * Every event type, its stream (the `queue_name` partners register a queue under) and the JSON
 * Schema of its `body`. Events of a stream with no queue go to the `default` queue when one is
 * registered, and are buffered otherwise.
 */
export const STREAMS = ["coaching", "labs", "device_data", "jobs", "account"] as const;
export type Stream = (typeof STREAMS)[number];
export const DEFAULT_QUEUE = "default";
export const QUEUE_NAMES = [...STREAMS, DEFAULT_QUEUE] as const;

const uuid = { type: "string", format: "uuid" } as const;
const instant = { type: "string", format: "date-time" } as const;
const obj = (properties: Record<string, unknown>, required: string[]) => ({ type: "object", properties, required, additionalProperties: false });

export const EVENT_CATALOG = {
  "coach.nudge.created": {
    stream: "coaching",
    description: "A coaching nudge was created. `basic` delivery carries the target only; `full` also inlines the card or health action as `data`.",
    schema: obj(
      {
        user_id: uuid,
        trigger_name: { type: "string" },
        delivery: { enum: ["basic", "full"] },
        target: obj({ type: { enum: ["card", "health_action"] }, id: uuid }, ["type", "id"]),
        data: { type: "object" },
      },
      ["user_id", "trigger_name", "delivery", "target"],
    ),
  },
  "program.updated": {
    stream: "coaching",
    description: "The member's program or priorities may have changed; re-fetch them.",
    schema: obj({ user_id: uuid, program_id: { type: ["string", "null"] }, reason: { type: "string" } }, ["user_id", "reason"]),
  },
  "lab.result.ready": {
    stream: "labs",
    description: "A lab result finished processing.",
    schema: obj({ user_id: uuid, lab_result_id: uuid, job_id: uuid }, ["user_id", "lab_result_id"]),
  },
  "lab.result.failed": {
    stream: "labs",
    description: "A lab result could not be processed.",
    schema: obj({ user_id: uuid, lab_result_id: uuid, job_id: uuid, error: { type: "string" }, reason: { type: "string" } }, [
      "user_id",
      "lab_result_id",
      "error",
      "reason",
    ]),
  },
  "device.data.daily": {
    stream: "device_data",
    description: "A member's daily summary changed for a local date (not sent for backfill).",
    schema: obj({ user_id: uuid, date: { type: "string", format: "date" }, provider: { type: "string" }, resources: { type: "array", items: { type: "string" } } }, [
      "user_id",
      "date",
      "resources",
    ]),
  },
  "job.completed": {
    stream: "jobs",
    description: "An async job completed; fetch its result at GET /v1/users/{user_id}/jobs/{job_id}.",
    schema: obj({ user_id: uuid, job_id: uuid, job_type: { type: "string" } }, ["user_id", "job_id", "job_type"]),
  },
  "job.failed": {
    stream: "jobs",
    description: "An async job failed.",
    schema: obj({ user_id: uuid, job_id: uuid, job_type: { type: "string" }, error: { type: "string" }, reason: { type: "string" } }, [
      "user_id",
      "job_id",
      "job_type",
      "error",
      "reason",
    ]),
  },
  "user.deleted": {
    stream: "account",
    description: "A member and all of their data were purged.",
    schema: obj({ user_id: uuid, deleted_at: instant }, ["user_id", "deleted_at"]),
  },
  "test.ping": {
    stream: null,
    description: "Sent on request to one queue to test an integration (POST /v1/admin/org/queues/{queue_name}/test).",
    schema: obj({ message: { type: "string" }, queue_name: { type: "string" } }, ["message", "queue_name"]),
  },
} as const satisfies Record<string, { stream: Stream | null; description: string; schema: object }>;

export type EventType = keyof typeof EVENT_CATALOG;
export const EVENT_TYPES = Object.keys(EVENT_CATALOG) as EventType[];

const ajv = new Ajv({ allErrors: true, strict: true });
addFormats(ajv);
const validators = new Map<EventType, ValidateFunction>(EVENT_TYPES.map((t) => [t, ajv.compile(EVENT_CATALOG[t].schema)]));

/** Throws when a body does not match its type's schema (a programming error, caught by tests). */
export function assertEventBody(type: EventType, body: unknown): void {
  const validate = validators.get(type)!;
  if (!validate(body)) throw new Error(`event body for ${type} does not match the catalog: ${ajv.errorsText(validate.errors)}`);
}
