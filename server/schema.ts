import { lexicographicSortSchema, printSchema, type GraphQLSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { AsyncJobsResolver } from "../resolvers/async-jobs";
import { AuthResolver } from "../resolvers/auth";
import { CheckInsResolver } from "../resolvers/check-ins";
import { DevicesResolver, UserDevicesResolver } from "../resolvers/devices";
import { EventStreamResolver } from "../resolvers/event-stream";
import { InsightsResolver } from "../resolvers/metrics/insights.resolver";
import { SummariesResolver } from "../resolvers/metrics/summaries.resolver";
import { UserMetricsResolver } from "../resolvers/metrics/user-metrics.resolver";
import { SubscriptionsResolver } from "../resolvers/event-stream/subscriptions.resolver";
import { HealthActionsResolver } from "../resolvers/health-actions";
import { HealthProfileResolver } from "../resolvers/health-profile";
import { NotificationsResolver } from "../resolvers/notifications";
import { OnboardingResolver } from "../resolvers/onboarding";
import { PartnersResolver } from "../resolvers/partners";
import { PrivacyResolver } from "../resolvers/privacy";
import { ProgramsResolver } from "../resolvers/programs";
import { UsersResolver } from "../resolvers/users";
import { TimeseriesResolver } from "../resolvers/metrics";
import { NudgesResolver } from "../resolvers/nudges";
import { DateTimeScalar } from "../schema/_shared/scalars";

export const RESOLVERS = [
  AuthResolver,
  UsersResolver,
  HealthProfileResolver,
  PrivacyResolver,
  AsyncJobsResolver,
  PartnersResolver,
  DevicesResolver,
  EventStreamResolver,
  SubscriptionsResolver,
  SummariesResolver,
  InsightsResolver,
  UserMetricsResolver,
  UserDevicesResolver,
  TimeseriesResolver,
  CheckInsResolver,
  NotificationsResolver,
  OnboardingResolver,
  NudgesResolver,
  HealthActionsResolver,
  ProgramsResolver,
] as const;

/** The one GraphQL schema both transports execute against. */
export async function createSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [...RESOLVERS],
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    // Every @Subscription supplies its own `subscribe` (authorised, tenant-filtered, fed by
    // deps.live); topic-based subscriptions are not used, so this pubSub refuses them.
    pubSub: {
      publish: () => {
        throw new Error("topic pubsub is not used: publish through emitEvent / deps.live");
      },
      subscribe: () => {
        throw new Error("topic pubsub is not used: give the @Subscription a subscribe function");
      },
    },
    validate: { forbidUnknownValues: false, skipUndefinedProperties: true, skipNullProperties: true },
    emitSchemaFile: false,
  });
}

/** The committed SDL (`schema/schema.graphql`): sorted so diffs are stable. */
export const printSortedSchema = (schema: GraphQLSchema) => `${printSchema(lexicographicSortSchema(schema))}\n`;
