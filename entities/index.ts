import { AsyncJob } from "./async-jobs/async-job.entity";
import { SigningSecret } from "./auth/signing-secret.entity";
import { TenantKey } from "./auth/tenant-key.entity";
import { IdempotencyRecord } from "./_shared/idempotency-record.entity";
import { Org } from "./partners/org.entity";
import { OrgInvite } from "./partners/org-invite.entity";
import { OrgMember } from "./partners/org-member.entity";
import { PrivacySettings } from "./privacy/privacy-settings.entity";
import { User } from "./users/user.entity";
import { DeliveryAttempt } from "./event-stream/delivery-attempt.entity";
import { EventRecord } from "./event-stream/event.entity";
import { QueueConfig } from "./event-stream/queue-config.entity";

export const ENTITIES = [Org, TenantKey, SigningSecret, User, PrivacySettings, AsyncJob, IdempotencyRecord, QueueConfig, EventRecord, DeliveryAttempt, OrgMember, OrgInvite];
