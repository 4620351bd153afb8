import { AsyncJob } from "./async-jobs/async-job.entity";
import { SigningSecret } from "./auth/signing-secret.entity";
import { TenantKey } from "./auth/tenant-key.entity";
import { IdempotencyRecord } from "./_shared/idempotency-record.entity";
import { Org } from "./partners/org.entity";
import { OrgInvite } from "./partners/org-invite.entity";
import { OrgMember } from "./partners/org-member.entity";
import { PrivacySettings } from "./privacy/privacy-settings.entity";
import { User } from "./users/user.entity";
import { TimeseriesSample } from "./metrics/timeseries-sample.entity";
import { DeviceConnection } from "./devices/device-connection.entity";
import { DeviceLinkToken } from "./devices/device-link-token.entity";
import { OAuthLinkState } from "./devices/oauth-link-state.entity";
import { ActivitySummary } from "./metrics/activity-summary.entity";
import { BodyMeasurement } from "./metrics/body-measurement.entity";
import { SleepStage, SleepSummary } from "./metrics/sleep-summary.entity";
import { Workout } from "./metrics/workout.entity";
import { TimeseriesHourly } from "./metrics/timeseries-hourly.entity";
import { HealthAction } from "./health-actions/health-action.entity";
import { NudgeCard } from "./nudges/nudge-card.entity";
import { NudgeFiring } from "./nudges/nudge-firing.entity";
import { Program } from "./programs/program.entity";
import { UserPriority } from "./programs/user-priority.entity";
import { RecommendedAction } from "./programs/recommended-action.entity";
import { DailyCheckIn } from "./check-ins/daily-check-in.entity";
import { OnboardingTask } from "./onboarding/onboarding-task.entity";
import { NotificationState } from "./notifications/notification-state.entity";
import { DeliveryAttempt } from "./event-stream/delivery-attempt.entity";
import { EventRecord } from "./event-stream/event.entity";
import { QueueConfig } from "./event-stream/queue-config.entity";

export const ENTITIES = [
  Org,
  TenantKey,
  SigningSecret,
  User,
  PrivacySettings,
  AsyncJob,
  IdempotencyRecord,
  QueueConfig,
  EventRecord,
  DeliveryAttempt,
  OrgMember,
  OrgInvite,
  DeviceConnection,
  DeviceLinkToken,
  OAuthLinkState,
  ActivitySummary,
  SleepSummary,
  SleepStage,
  BodyMeasurement,
  Workout,
  TimeseriesSample,
  TimeseriesHourly,
  HealthAction,
  NudgeCard,
  NudgeFiring,
  Program,
  UserPriority,
  RecommendedAction,
  DailyCheckIn,
  OnboardingTask,
  NotificationState,
];
