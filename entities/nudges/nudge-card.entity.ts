import { Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property, type Rel } from "@mikro-orm/core";
import crypto from "node:crypto";
import { HealthAction } from "../health-actions/health-action.entity";
import { User } from "../users/user.entity";

export enum CardInteractionStatus {
  pending = "pending",
  opened = "opened",
  completed = "completed",
  dismissed = "dismissed",
}

export interface CardBody {
  main: string;
  description: string;
  header: string;
}

export interface CardPreprocessing {
  audio_summary_url: string | null;
  audio_duration: number | null;
  audio_script: string | null;
}

/** A feed card created by a nudge detector (spec §8 CoachNudgeCard). */
@Entity({ tableName: "nudge_cards" })
@Index({ properties: ["user", "itemCreatedAt"] })
export class NudgeCard {
  [OptionalProps]?: "interactionStatus" | "supportedActions" | "itemPreprocessing" | "createdAt" | "updatedAt" | "itemCreatedAt";

  /** The public `card_item_id`. */
  @PrimaryKey({ type: "uuid" })
  id: string = crypto.randomUUID();

  @ManyToOne(() => User, { deleteRule: "cascade" })
  user!: Rel<User>;

  @Property({ type: "text" })
  triggerName!: string;

  @Property({ type: "text" })
  itemHeader!: string;

  @Property({ type: "json" })
  itemBody!: CardBody;

  @Property({ type: "json" })
  supportedActions: string[] = [];

  @Property({ type: "json", nullable: true })
  itemPreprocessing?: CardPreprocessing | null;

  @Enum({ items: () => CardInteractionStatus, nativeEnumName: "card_interaction_status" })
  interactionStatus: CardInteractionStatus = CardInteractionStatus.pending;

  /** The action a card is about (missed actions), for `mark_health_action_as_completed`. */
  @ManyToOne(() => HealthAction, { nullable: true, deleteRule: "set null" })
  healthAction?: Rel<HealthAction> | null;

  @Property({ type: "timestamptz" })
  itemCreatedAt: Date = new Date();

  @Property({ type: "timestamptz" })
  createdAt: Date = new Date();

  @Property({ type: "timestamptz" })
  updatedAt: Date = new Date();
}
