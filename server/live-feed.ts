import { createPubSub } from "@graphql-yoga/subscription";
import { setMaxListeners } from "node:events";
import { EVENTS_CHANNEL, type CommittedEvent } from "../resolvers/event-stream/emit";
import { JOBS_CHANNEL, type JobNotice, type LiveFeed } from "../resolvers/event-stream/live";
import type { PgListener } from "./pg-listener";

/**
 * Cross-process fan-out over PostgreSQL LISTEN/NOTIFY: every process hears every commit (from
 * any process) on its one listener connection and republishes it, per org, to its local
 * subscribers. No extra broker is needed for `npm start`.
 */
export function createLiveFeed(listener: PgListener): LiveFeed {
  const target = new EventTarget();
  setMaxListeners(0, target); // one listener per live subscription is expected, not a leak
  const local = createPubSub<{ event: [orgId: string, payload: CommittedEvent]; job: [orgId: string, payload: JobNotice] }>({ eventTarget: target });
  listener.on(EVENTS_CHANNEL, (raw) => {
    const notice = JSON.parse(raw) as Partial<CommittedEvent>;
    if (notice.type && notice.org_id) local.publish("event", notice.org_id, notice as CommittedEvent);
  });
  listener.on(JOBS_CHANNEL, (raw) => {
    const notice = JSON.parse(raw) as JobNotice;
    local.publish("job", notice.org_id, notice);
  });
  return {
    events: (orgId) => local.subscribe("event", orgId),
    jobs: (orgId) => local.subscribe("job", orgId),
  };
}
