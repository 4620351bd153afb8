import { AsyncJob, JobStatus } from "../../entities/async-jobs/async-job.entity";
import { Org } from "../../entities/partners/org.entity";
import type { EntityManager } from "@mikro-orm/postgresql";
import { User } from "../../entities/users/user.entity";
import type { JobType } from "../../schema/async-jobs/job.type";
import type { Context } from "../_shared/context";
import { requireAuthenticated } from "../_shared/authz";
import { notFound } from "../_shared/errors";

export class AsyncJobsService {
  constructor(private readonly ctx: Context) {}

  /**
   * Starts a job for an already-authorised member. The job row and the queue message are written
   * in one transaction, so a 202 always has work behind it. Returns the start-response shape.
   * Pass `inTransaction` (an `em` inside the caller's open transaction) to commit the job together
   * with the caller's own writes.
   */
  async start(user: User, type: string, params: Record<string, unknown> = {}, inTransaction?: EntityManager) {
    const write = async (em: EntityManager) => {
      const job = em.create(AsyncJob, { org: em.getReference(Org, user.org.id), user: em.getReference(User, user.id), type, params });
      await em.flush();
      await this.ctx.deps.jobs.enqueue(job.id, em);
      return job;
    };
    const job = inTransaction ? await write(inTransaction) : await this.ctx.em.transactional(write);
    return { jobId: job.id, status: JobStatus.accepted };
  }

  /**
   * The rule for following a job live: a tenant key sees its org's jobs, a member token only its
   * own; anything else is 404 (never a hint that the job exists). Returns the org to listen on.
   */
  async requireFollowable(jobId: string): Promise<{ orgId: string }> {
    const v = requireAuthenticated(this.ctx.viewer);
    const job = await this.ctx.em.findOne(AsyncJob, { id: jobId, org: v.orgId }, { populate: ["user"] });
    if (!job || (v.kind === "member" && job.user?.partnerUserId !== v.userId)) throw notFound("Job");
    return { orgId: v.orgId };
  }

  /** A member's job. Queued jobs read as `running`: `accepted` appears only in start responses. */
  async get(userId: string, jobId: string): Promise<JobType> {
    const user = await this.ctx.services.users.requireMember(userId);
    const job = await this.ctx.em.findOne(AsyncJob, { id: jobId, user: user.id });
    if (!job) throw notFound("Job");
    return {
      jobId: job.id,
      status: job.status === JobStatus.accepted ? JobStatus.running : job.status,
      result: job.result ?? null,
      createdAt: job.createdAt,
      updatedAt: job.updatedAt,
    };
  }
}
