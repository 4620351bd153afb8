import { OnboardingTask, OnboardingTaskStatus } from "../../entities/onboarding/onboarding-task.entity";
import type { User } from "../../entities/users/user.entity";
import { OnboardingTaskStatusType, type OnboardingType } from "../../schema/onboarding/onboarding.type";
import type { Context } from "../_shared/context";
import { notFound } from "../_shared/errors";
import { localDate } from "../metrics";
import { isEligible } from "./eligibility";
import { findOnboardingTask, ONBOARDING_TASKS, type OnboardingFacts } from "./tasks";

/**
 * Progressive onboarding (spec §12). A task's status: `completed` when the member's data shows it
 * done (auto tasks) or it was completed through the API; else `skipped` when skipped; else `pending`.
 */
export class OnboardingService {
  constructor(private readonly ctx: Context) {}

  async get(userId: string): Promise<OnboardingType> {
    return this.view(await this.ctx.services.users.requireMember(userId));
  }

  /** Marks a catalogue task completed (idempotent; also over an earlier skip). Unknown task: 404. */
  async complete(userId: string, taskId: string): Promise<OnboardingType> {
    return this.record(userId, taskId, OnboardingTaskStatus.completed);
  }

  /** Marks a catalogue task skipped; a task already completed stays completed. Unknown task: 404. */
  async skip(userId: string, taskId: string): Promise<OnboardingType> {
    return this.record(userId, taskId, OnboardingTaskStatus.skipped);
  }

  private async record(userId: string, taskId: string, status: OnboardingTaskStatus): Promise<OnboardingType> {
    const user = await this.ctx.services.users.requireMember(userId);
    if (!findOnboardingTask(taskId)) throw notFound("Onboarding task");
    // One statement, so concurrent writes cannot interleave: a completion is never downgraded by a skip.
    await this.ctx.em.execute(
      `insert into onboarding_tasks (user_id, task_id, status, updated_at) values (?, ?, ?, ?)
       on conflict (user_id, task_id) do update set status = excluded.status, updated_at = excluded.updated_at
        where onboarding_tasks.status <> excluded.status and onboarding_tasks.status <> 'completed'`,
      [user.id, taskId, status, this.ctx.deps.now()],
    );
    return this.view(user);
  }

  private async view(user: User): Promise<OnboardingType> {
    const [facts, recorded] = await Promise.all([this.facts(user), this.ctx.em.find(OnboardingTask, { user: user.id })]);
    const stored = new Map(recorded.map((r) => [r.taskId, r.status]));
    const tasks = ONBOARDING_TASKS.map((t) => {
      const s = stored.get(t.taskId);
      const status =
        t.done?.(facts) || s === OnboardingTaskStatus.completed
          ? OnboardingTaskStatusType.completed
          : s === OnboardingTaskStatus.skipped
            ? OnboardingTaskStatusType.skipped
            : OnboardingTaskStatusType.pending;
      return { taskId: t.taskId, title: t.title, status };
    });
    const completedCount = tasks.filter((t) => t.status === OnboardingTaskStatusType.completed).length;
    return {
      progressiveOnboardingEnabled: true,
      eligible: isEligible(user.birthday ?? null, localDate(this.ctx.deps.now(), user.timezone)),
      isComplete: tasks.every((t) => t.status !== OnboardingTaskStatusType.pending),
      completedCount,
      totalCount: tasks.length,
      tasks,
    };
  }

  private async facts(user: User): Promise<OnboardingFacts> {
    const [r] = await this.ctx.em.execute<{ device: boolean; notifications: boolean; check_in: boolean }[]>(
      `select exists (select 1 from device_connections where user_id = ?) as device,
              exists (select 1 from notification_states where user_id = ? and backend_notifications_enabled) as notifications,
              exists (select 1 from daily_check_ins where user_id = ?) as check_in`,
      [user.id, user.id, user.id],
    );
    return {
      hasTimezone: !!user.timezone,
      hasBirthday: !!user.birthday,
      hasDevice: !!r?.device,
      notificationsEnabled: !!r?.notifications,
      hasCheckIn: !!r?.check_in,
    };
  }
}
