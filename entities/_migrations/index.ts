import type { MigrationObject } from "@mikro-orm/core";
import { Migration20261122143511 } from "./Migration20261122143511";
import { Migration20261122141325 } from "./Migration20261122141325";
import { Migration20261122140915 } from "./Migration20261122140915";
import { Migration20261122135144 } from "./Migration20261122135144";

/** Every committed migration, in order. `npm run migration:create` appends new ones here. */
export const MIGRATIONS: MigrationObject[] = [
  { name: "Migration20261122135144", class: Migration20261122135144 },
  { name: "Migration20261122140915", class: Migration20261122140915 },
  { name: "Migration20261122141325", class: Migration20261122141325 },
  { name: "Migration20261122143511", class: Migration20261122143511 },
];
