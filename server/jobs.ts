import type { EntityManager } from "@mikro-orm/postgresql";
import { PgBoss, fromKnex } from "pg-boss";
import type { Logger } from "pino";
import { runJob, type JobRegistry } from "../resolvers/async-jobs";
import type { AppDeps, JobQueue } from "../resolvers/_shared/deps";

/** A periodic task on the job engine (runs once per schedule across all processes). */
export interface MaintenanceTask {
  name: string;
  cron: string;
  run(): Promise<void>;
}

/** The job engine: pg-boss on the same PostgreSQL. Any number of worker processes can share it. */
export class JobEngine implements JobQueue {
  private readonly boss: PgBoss;
  private working = false;

  constructor(
    connectionString: string,
    private readonly logger: Logger,
    private readonly pollingSeconds: number,
    private readonly queue: string,
  ) {
    this.boss = new PgBoss({ connectionString, schema: "pgboss", max: 4 });
    this.boss.on("error", (err: unknown) => this.logger.error({ err }, "job engine error"));
  }

  async start(): Promise<void> {
    await this.boss.start();
    await this.boss.createQueue(this.queue).catch(() => undefined);
  }

  async enqueue(jobId: string, em?: EntityManager): Promise<void> {
    const trx = em?.getTransactionContext<Parameters<typeof fromKnex>[0]>();
    await this.boss.send(this.queue, { jobId }, trx ? { db: fromKnex(trx), retryLimit: 3, retryBackoff: true } : { retryLimit: 3, retryBackoff: true });
  }

  /** Starts consuming jobs in this process. */
  async work(deps: AppDeps, registry: JobRegistry, batchSize = 4): Promise<void> {
    this.working = true;
    await this.boss.work<{ jobId: string }>(this.queue, { batchSize, pollingIntervalSeconds: this.pollingSeconds }, async (jobs) => {
      for (const job of jobs) await runJob(deps, registry, job.data.jobId);
    });
  }

  /** Schedules periodic maintenance (cron, UTC); pg-boss guarantees one run per tick across workers. */
  async maintain(tasks: MaintenanceTask[]): Promise<void> {
    for (const task of tasks) {
      await this.boss.createQueue(task.name).catch(() => undefined);
      await this.boss.schedule(task.name, task.cron);
      await this.boss.work(task.name, { pollingIntervalSeconds: 30 }, async () => {
        await task.run();
      });
    }
  }

  /** Graceful: stops fetching, waits for in-flight jobs up to `timeoutMs`, closes the pool. */
  async stop(timeoutMs: number): Promise<void> {
    await this.boss.stop({ graceful: this.working, timeout: timeoutMs, close: true });
  }
}
