import { MikroORM, ReflectMetadataProvider, type Options } from "@mikro-orm/core";
import { Migrator } from "@mikro-orm/migrations";
import { PostgreSqlDriver, defineConfig } from "@mikro-orm/postgresql";
import path from "node:path";
import pg from "pg";
import { ENTITIES } from "../entities";
import { MIGRATIONS } from "../entities/_migrations";

export interface OrmOptions {
  clientUrl: string;
  poolMax?: number;
  /** Where MikroORM's own messages go (never stdout: the admin CLI prints JSON there). */
  log?: (message: string) => void;
  /** Receives every SQL statement MikroORM runs (tests count statements per request with it). */
  onQuery?: (message: string) => void;
}

export function ormConfig(opts: OrmOptions): Options<PostgreSqlDriver> {
  return defineConfig({
    clientUrl: opts.clientUrl,
    debug: opts.onQuery ? ["query"] : false,
    logger: (message: string) => {
      if (opts.onQuery && message.includes("[query]")) opts.onQuery(message);
      else opts.log?.(message);
    },
    entities: ENTITIES,
    metadataProvider: ReflectMetadataProvider,
    extensions: [Migrator],
    forceUtcTimezone: true,
    pool: { min: 0, max: opts.poolMax ?? 10 },
    allowGlobalContext: false,
    discovery: { warnWhenNoEntities: true },
    migrations: {
      tableName: "mikro_orm_migrations",
      // Committed TS sources; the list below is what runs (same in jest and in dist/).
      pathTs: path.resolve(__dirname, "../../entities/_migrations").replace(/\/dist\/entities/, "/entities"),
      path: path.resolve(__dirname, "../entities/_migrations"),
      migrationsList: MIGRATIONS,
      transactional: true,
      allOrNothing: true,
      emit: "ts",
      snapshot: false,
    },
  });
}

export async function initOrm(opts: OrmOptions): Promise<MikroORM<PostgreSqlDriver>> {
  return MikroORM.init(ormConfig(opts));
}

/** Applies committed migrations; safe to call from several processes (PostgreSQL advisory lock). */
export async function migrate(orm: MikroORM<PostgreSqlDriver>, clientUrl: string): Promise<void> {
  // A session-level lock needs one dedicated connection (a pool could unlock on another session).
  const lock = new pg.Client({ connectionString: clientUrl });
  await lock.connect();
  try {
    await lock.query("select pg_advisory_lock(727001)");
    await orm.getMigrator().up();
  } finally {
    await lock.end();
  }
}
