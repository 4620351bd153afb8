import { createPubSub } from "@graphql-yoga/subscription";
import { EVENTS_CHANNEL, type CommittedEvent } from "../resolvers/event-stream/emit";
import { JOBS_CHANNEL, type JobNotice, type LiveFeed } from "../resolvers/event-stream/live";
import type { PgListener } from "./pg-listener";

/**
 * Cross-process fan-out over PostgreSQL LISTEN/NOTIFY: every process hears every commit (from
 * any process) on its one listener connection and republishes it to its local subscribers.
 * No extra broker is needed for `npm start`.
 */
export function createLiveFeed(listener: PgListener): LiveFeed {
  const local = createPubSub<{ event: [CommittedEvent]; job: [JobNotice] }>();
  listener.on(EVENTS_CHANNEL, (raw) => {
    const notice = JSON.parse(raw) as Partial<CommittedEvent>;
    if (notice.type) local.publish("event", notice as CommittedEvent);
  });
  listener.on(JOBS_CHANNEL, (raw) => local.publish("job", JSON.parse(raw) as JobNotice));
  return {
    events: () => local.subscribe("event"),
    jobs: () => local.subscribe("job"),
  };
}
