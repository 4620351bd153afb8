import type { EntityManager } from "@mikro-orm/postgresql";
import type { AppDeps } from "../_shared/deps";

export interface JobRun {
  id: string;
  type: string;
  orgId: string;
  /** Internal user id (null for org-level jobs). */
  userId: string | null;
  params: Record<string, unknown>;
}

/** Does the work and returns the job's `result` (shape owned by the originating endpoint). */
export type JobHandler = (job: JobRun, tools: { em: EntityManager; deps: AppDeps }) => Promise<Record<string, unknown>>;

/** Job types and their handlers. Domains register theirs at composition time. */
export class JobRegistry {
  private readonly handlers = new Map<string, JobHandler>();

  register(type: string, handler: JobHandler): this {
    if (this.handlers.has(type)) throw new Error(`job type ${type} already registered`);
    this.handlers.set(type, handler);
    return this;
  }

  get(type: string): JobHandler | undefined {
    return this.handlers.get(type);
  }
}
