import { Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property, Unique, type Rel } from "@mikro-orm/core";
import crypto from "node:crypto";
import { User } from "../users/user.entity";

export enum DeviceConnectionStatus {
  connected = "connected",
  error = "error",
  disconnected = "disconnected",
  pending = "pending",
}

export enum BackfillStatus {
  pending = "pending",
  in_progress = "in_progress",
  completed = "completed",
  failed = "failed",
}

/**
 * A member's link to one device provider. At most one per (member, provider), enforced by a unique
 * constraint so concurrent links cannot create two. Provider tokens are stored only as SecretBox
 * ciphertext (AES-256-GCM); they never leave this table in plaintext except towards the provider.
 * `healthDataUserId` is an opaque public id for the link (never the internal user id).
 */
@Entity({ tableName: "device_connections" })
@Unique({ properties: ["user", "providerSlug"] })
@Index({ properties: ["user", "createdAt"] })
export class DeviceConnection {
  [OptionalProps]?: "createdAt" | "updatedAt" | "healthDataUserId" | "scopes";

  @PrimaryKey({ type: "uuid" })
  id: string = crypto.randomUUID();

  @ManyToOne(() => User, { deleteRule: "cascade" })
  user!: Rel<User>;

  @Property({ type: "text" })
  providerSlug!: string;

  @Property({ type: "uuid" })
  healthDataUserId: string = crypto.randomUUID();

  @Enum({ items: () => DeviceConnectionStatus, nativeEnumName: "device_connection_status" })
  status!: DeviceConnectionStatus;

  @Property({ type: "timestamptz", nullable: true })
  connectedAt?: Date | null;

  @Property({ type: "timestamptz", nullable: true })
  lastSyncAt?: Date | null;

  /** Partner-facing reason for `status = error` (never provider internals or tokens). */
  @Property({ type: "text", nullable: true })
  error?: string | null;

  @Enum({ items: () => BackfillStatus, nativeEnumName: "device_backfill_status", nullable: true })
  backfillStatus?: BackfillStatus | null;

  @Property({ type: "timestamptz", nullable: true })
  backfillStartedAt?: Date | null;

  @Property({ type: "timestamptz", nullable: true })
  backfillCompletedAt?: Date | null;

  @Property({ type: "text", nullable: true })
  backfillError?: string | null;

  /** SecretBox ciphertext of the provider access token (OAuth providers only). */
  @Property({ type: "text", nullable: true, lazy: true })
  accessTokenEnc?: string | null;

  /** SecretBox ciphertext of the provider refresh token, when one was issued. */
  @Property({ type: "text", nullable: true, lazy: true })
  refreshTokenEnc?: string | null;

  @Property({ type: "timestamptz", nullable: true })
  tokenExpiresAt?: Date | null;

  /** Scopes the member granted (as reported by the provider's token response). */
  @Property({ type: "json" })
  scopes: string[] = [];

  @Property({ type: "timestamptz" })
  createdAt: Date = new Date();

  @Property({ type: "timestamptz", onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
