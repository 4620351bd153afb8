import { Entity, Enum, PrimaryKey, Property, OptionalProps } from "@mikro-orm/core";
import crypto from "node:crypto";

/** What a `coach.nudge.created` event carries: the target only, or also the card / health action inline. */
export enum NudgeDelivery {
  basic = "basic",
  full = "full",
}

export enum OrgEnvironment {
  sandbox = "sandbox",
  production = "production",
}

/** A partner organisation (tenant). Every tenant-owned row references it. */
@Entity({ tableName: "orgs" })
export class Org {
  [OptionalProps]?: "environment" | "nudgeDelivery" | "createdAt" | "updatedAt";

  @PrimaryKey({ type: "uuid" })
  id: string = crypto.randomUUID();

  @Property({ type: "text" })
  name!: string;

  /** Stable public handle of the org (shown by GET /v1/admin/org as `key`). */
  @Property({ type: "text", unique: true })
  key!: string;

  @Enum({ items: () => OrgEnvironment, nativeEnumName: "org_environment" })
  environment: OrgEnvironment = OrgEnvironment.sandbox;

  @Enum({ items: () => NudgeDelivery, nativeEnumName: "nudge_delivery" })
  nudgeDelivery: NudgeDelivery = NudgeDelivery.basic;

  @Property({ type: "timestamptz" })
  createdAt: Date = new Date();

  @Property({ type: "timestamptz", onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
