export { ADAPTERS } from "./adapters";
export type { QueueAdapter, QueueType } from "./adapters";
export { EVENT_CATALOG, EVENT_TYPES, STREAMS, type EventType as EventTypeName } from "./catalog";
export { Dispatcher, type PassResult } from "./dispatcher";
export { emitEvent, EVENTS_CHANNEL, type CommittedEvent } from "./emit";
export { EventStreamResolver } from "./event-stream.resolver";
export { EventsService } from "./events.service";
export { QueuesService } from "./queues.service";
export { signPayload, verifySignature } from "./signature";
