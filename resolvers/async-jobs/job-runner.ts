import type { EntityManager } from "@mikro-orm/postgresql";
import { AsyncJob, JobStatus } from "../../entities/async-jobs/async-job.entity";
import type { AppDeps } from "../_shared/deps";
import { DomainError } from "../_shared/errors";
import { emitEvent } from "../event-stream/emit";
import { JOBS_CHANNEL, type JobNotice } from "../event-stream/live";
import type { JobRegistry } from "./job-registry";

/**
 * Runs one job by id. Safe under at-least-once delivery: a job already completed or failed is
 * left alone, so a redelivered message never re-runs finished work.
 */
export async function runJob(deps: AppDeps, registry: JobRegistry, jobId: string): Promise<void> {
  const em = deps.orm.em.fork() as EntityManager;
  const claimed = await em.getConnection().execute<{ id: string }[]>(
    `update async_jobs set status = 'running', started_at = coalesce(started_at, now()), attempts = attempts + 1, updated_at = now()
      where id = ? and status in ('accepted', 'running') returning id`,
    [jobId],
  );
  if (claimed.length === 0) return;
  const job = await em.findOneOrFail(AsyncJob, { id: jobId }, { populate: ["user"] });
  await notifyJob(em, job, JobStatus.running, null);
  const handler = registry.get(job.type);
  let status: JobStatus;
  let result: Record<string, unknown>;
  try {
    if (!handler) throw new DomainError("internal_error", "No handler for this job type");
    result = await handler({ id: job.id, type: job.type, orgId: job.org.id, userId: job.user?.id ?? null, params: job.params ?? {} }, { em: em.fork(), deps });
    status = JobStatus.completed;
  } catch (err) {
    status = JobStatus.failed;
    if (err instanceof DomainError) {
      result = { error: err.code, reason: err.message };
    } else {
      deps.logger.error({ err, job_id: jobId, job_type: job.type }, "job failed");
      result = { error: "internal_error", reason: "The job failed unexpectedly" };
    }
  }
  // The final state, its event and the live notice commit together.
  await em.transactional(async (tem) => {
    await tem.nativeUpdate(AsyncJob, { id: jobId }, { status, result, finishedAt: deps.now(), updatedAt: deps.now() });
    if (job.user) {
      const base = { user_id: job.user.partnerUserId, job_id: job.id, job_type: job.type };
      await emitEvent(tem, {
        orgId: job.org.id,
        user: job.user,
        occurredAt: deps.now(),
        ...(status === JobStatus.completed
          ? { type: "job.completed", body: base }
          : { type: "job.failed", body: { ...base, error: String(result.error), reason: String(result.reason) } }),
      });
    }
    await notifyJob(tem, job, status, result);
  });
}

async function notifyJob(em: EntityManager, job: AsyncJob, status: JobStatus, result: Record<string, unknown> | null) {
  const notice: JobNotice = { job_id: job.id, org_id: job.org.id, user_id: job.user?.partnerUserId ?? null, status, result };
  await em.execute("select pg_notify(?, ?)", [JOBS_CHANNEL, JSON.stringify(notice)]);
}
