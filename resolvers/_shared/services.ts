import { AsyncJobsService } from "../async-jobs";
import { AuthService } from "../auth";
import { CheckInsService } from "../check-ins";
import { DevicesService } from "../devices";
import { InsightsService } from "../metrics/insights.service";
import { SummariesService } from "../metrics/summaries.service";
import { TimeseriesService } from "../metrics";
import { EventsService, QueuesService } from "../event-stream";
import { HealthProfileService } from "../health-profile";
import { HealthActionsService } from "../health-actions";
import { NotificationsService } from "../notifications";
import { OnboardingService } from "../onboarding";
import { PartnersService } from "../partners";
import { PrivacyService } from "../privacy";
import { ProgramsService } from "../programs";
import { UsersService, createUserLoaders, type UserLoaders } from "../users";
import { CardsService, SandboxNudgesService } from "../nudges";
import type { Context } from "./context";

/** Lazily built, request-scoped services and loaders. Services reach each other through here. */
export class Services {
  private cache = new Map<string, unknown>();
  constructor(private readonly ctx: Context) {}

  private memo<T>(key: string, build: () => T): T {
    if (!this.cache.has(key)) this.cache.set(key, build());
    return this.cache.get(key) as T;
  }

  get userLoaders(): UserLoaders {
    return this.memo("userLoaders", () => createUserLoaders(this.ctx));
  }
  get auth(): AuthService {
    return this.memo("auth", () => new AuthService(this.ctx));
  }
  get timeseries(): TimeseriesService {
    return this.memo("timeseries", () => new TimeseriesService(this.ctx));
  }
  get users(): UsersService {
    return this.memo("users", () => new UsersService(this.ctx));
  }
  get privacy(): PrivacyService {
    return this.memo("privacy", () => new PrivacyService(this.ctx));
  }
  get healthProfile(): HealthProfileService {
    return this.memo("healthProfile", () => new HealthProfileService(this.ctx));
  }
  get queues(): QueuesService {
    return this.memo("queues", () => new QueuesService(this.ctx));
  }
  get events(): EventsService {
    return this.memo("events", () => new EventsService(this.ctx));
  }
  get partners(): PartnersService {
    return this.memo("partners", () => new PartnersService(this.ctx));
  }
  get insights(): InsightsService {
    return this.memo("insights", () => new InsightsService(this.ctx));
  }
  get summaries(): SummariesService {
    return this.memo("summaries", () => new SummariesService(this.ctx));
  }
  get devices(): DevicesService {
    return this.memo("devices", () => new DevicesService(this.ctx));
  }
  get cards(): CardsService {
    return this.memo("cards", () => new CardsService(this.ctx));
  }
  get sandboxNudges(): SandboxNudgesService {
    return this.memo("sandboxNudges", () => new SandboxNudgesService(this.ctx));
  }
  get jobs(): AsyncJobsService {
    return this.memo("jobs", () => new AsyncJobsService(this.ctx));
  }
  get healthActions(): HealthActionsService {
    return this.memo("healthActions", () => new HealthActionsService(this.ctx));
  }
  get programs(): ProgramsService {
    return this.memo("programs", () => new ProgramsService(this.ctx));
  }
  get checkIns(): CheckInsService {
    return this.memo("checkIns", () => new CheckInsService(this.ctx));
  }
  get notifications(): NotificationsService {
    return this.memo("notifications", () => new NotificationsService(this.ctx));
  }
  get onboarding(): OnboardingService {
    return this.memo("onboarding", () => new OnboardingService(this.ctx));
  }
}
