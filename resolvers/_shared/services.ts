import { AsyncJobsService } from "../async-jobs";
import { AuthService } from "../auth";
import { DevicesService } from "../devices";
import { InsightsService } from "../metrics/insights.service";
import { SummariesService } from "../metrics/summaries.service";
import { TimeseriesService } from "../metrics";
import { EventsService, QueuesService } from "../event-stream";
import { HealthProfileService } from "../health-profile";
import { PartnersService } from "../partners";
import { PrivacyService } from "../privacy";
import { UsersService, createUserLoaders, type UserLoaders } from "../users";
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
  get jobs(): AsyncJobsService {
    return this.memo("jobs", () => new AsyncJobsService(this.ctx));
  }
}
