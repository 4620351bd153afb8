import { lexicographicSortSchema, printSchema, type GraphQLSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { AsyncJobsResolver } from "../resolvers/async-jobs";
import { AuthResolver } from "../resolvers/auth";
import { HealthProfileResolver } from "../resolvers/health-profile";
import { PrivacyResolver } from "../resolvers/privacy";
import { UsersResolver } from "../resolvers/users";
import { DateTimeScalar } from "../schema/_shared/scalars";

export const RESOLVERS = [AuthResolver, UsersResolver, HealthProfileResolver, PrivacyResolver, AsyncJobsResolver] as const;

/** The one GraphQL schema both transports execute against. */
export async function createSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [...RESOLVERS],
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    validate: { forbidUnknownValues: false, skipUndefinedProperties: true, skipNullProperties: true },
    emitSchemaFile: false,
  });
}

/** The committed SDL (`schema/schema.graphql`): sorted so diffs are stable. */
export const printSortedSchema = (schema: GraphQLSchema) => `${printSchema(lexicographicSortSchema(schema))}\n`;
