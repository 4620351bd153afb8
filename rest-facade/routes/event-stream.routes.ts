import {
  CreateQueueDocument,
  DeleteQueueDocument,
  GetEventDocument,
  GetQueueDocument,
  ListEventsDocument,
  ListQueuesDocument,
  ReplaceQueueDocument,
  ReplayEventDocument,
  TestQueueDocument,
} from "../__generated__/operations";
import type { RouteDef } from "../route-table";

const QUEUE = "/v1/admin/org/queues/:queue_name";
const tag = "Event stream";

export const eventStreamRoutes: RouteDef[] = [
  { method: "GET", path: "/v1/admin/org/queues", document: ListQueuesDocument, auth: "tenant", tag, summary: "List registered queues" },
  {
    method: "POST", path: QUEUE, document: CreateQueueDocument, auth: "tenant", status: 201, body: "input", tag, summary: "Register a queue",
    description: "queue_name is a stream (coaching, labs, device_data, jobs, account) or `default` (every stream without its own queue). A synthetic signed test publish must succeed first (else 400 invalid_request with the provider's error; nothing stored). Existing → 409 queue_already_configured.",
  },
  { method: "GET", path: QUEUE, document: GetQueueDocument, auth: "tenant", tag, summary: "Get a queue", description: "Write-only credentials are never returned. None → 404 queue_not_configured." },
  { method: "PUT", path: QUEUE, document: ReplaceQueueDocument, auth: "tenant", body: "input", tag, summary: "Replace a queue", description: "Full replacement with the same validation and test publish." },
  { method: "DELETE", path: QUEUE, document: DeleteQueueDocument, auth: "tenant", status: 204, tag, summary: "Remove a queue", description: "Later events of the stream are buffered until a queue is registered again." },
  { method: "POST", path: `${QUEUE}/test`, document: TestQueueDocument, auth: "tenant", status: 202, tag, summary: "Send a test.ping", description: "Queues a signed test.ping for this queue through the outbox; watch it at GET /v1/admin/org/events/{event_id}." },
  { method: "GET", path: "/v1/admin/org/events", document: ListEventsDocument, auth: "tenant", tag, summary: "List events", description: "Newest first; filter by event_type, status, user_id and an occurred_at window [since, until)." },
  { method: "GET", path: "/v1/admin/org/events/:event_id", document: GetEventDocument, auth: "tenant", tag, summary: "Get an event with its delivery attempts" },
  { method: "POST", path: "/v1/admin/org/events/:event_id/replay", document: ReplayEventDocument, auth: "tenant", status: 202, tag, summary: "Replay an event", description: "Delivers it again with the same event_id on a fresh 48 h schedule." },
];
