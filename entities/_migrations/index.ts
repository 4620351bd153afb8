import type { MigrationObject } from "@mikro-orm/core";
import { Migration20261122161553 } from "./Migration20261122161553";
import { Migration20261122155245 } from "./Migration20261122155245";
import { Migration20261122150325 } from "./Migration20261122150325";
import { Migration20261122150231 } from "./Migration20261122150231";
import { Migration20261122150041 } from "./Migration20261122150041";
import { Migration20261122145954 } from "./Migration20261122145954";
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
  { name: "Migration20261122145954", class: Migration20261122145954 },
  { name: "Migration20261122150041", class: Migration20261122150041 },
  { name: "Migration20261122150231", class: Migration20261122150231 },
  { name: "Migration20261122150325", class: Migration20261122150325 },
  { name: "Migration20261122155245", class: Migration20261122155245 },
  { name: "Migration20261122161553", class: Migration20261122161553 },
];
