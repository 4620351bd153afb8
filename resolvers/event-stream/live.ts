import type { CommittedEvent } from "./emit";

export const JOBS_CHANNEL = "thrive_jobs";

/** A job state change as every process hears it. */
export interface JobNotice {
  job_id: string;
  org_id: string;
  user_id: string | null;
  status: string;
  result: Record<string, unknown> | null;
}

/** Fan-out of committed events and job updates to this process's subscriptions, per org. */
export interface LiveFeed {
  events(orgId: string): AsyncIterable<CommittedEvent>;
  jobs(orgId: string): AsyncIterable<JobNotice>;
}

/** Filters an async iterable; closing the result closes the source (unsubscribes). */
export async function* where<T>(source: AsyncIterable<T>, keep: (v: T) => boolean): AsyncGenerator<T> {
  for await (const v of source) if (keep(v)) yield v;
}
