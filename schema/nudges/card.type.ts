import { IsEnum, IsIn } from "class-validator";
import { Field, Float, InputType, ObjectType, registerEnumType } from "type-graphql";
import { CardInteractionStatus } from "../../entities/nudges/nudge-card.entity";
import { TRIGGER_NAMES } from "../../resolvers/nudges/detectors/types";
import { PageType } from "../_shared/pagination";
import { DateTimeScalar, UUIDScalar } from "../_shared/scalars";

registerEnumType(CardInteractionStatus, {
  name: "CardInteractionStatus",
  description: "Where the member is with a card. Allowed changes: pending→opened, pending→dismissed, opened→completed, opened→dismissed.",
});

@ObjectType("CardItemBody")
export class CardItemBodyType {
  @Field(() => String, { description: "The card's main message, built from the member's own numbers." }) main!: string;
  @Field(() => String, { description: "Supporting detail." }) description!: string;
  @Field(() => String) header!: string;
}

@ObjectType("CardSupportedActions")
export class CardSupportedActionsType {
  @Field(() => [String], { description: "Actions the card offers, e.g. `mark_health_action_as_completed`." }) actionKeys!: string[];
}

@ObjectType("CardItemPreprocessing")
export class CardItemPreprocessingType {
  @Field(() => String, { nullable: true, description: "Not generated in v1 (null); the script is." }) audioSummaryUrl!: string | null;
  @Field(() => Float, { nullable: true, description: "Seconds; null while no audio is generated." }) audioDuration!: number | null;
  @Field(() => String, { nullable: true, description: "Text for a voice summary of the card." }) audioScript!: string | null;
}

@ObjectType("CoachNudgeCard", { description: "A feed card created by a nudge detector." })
export class CoachNudgeCardType {
  @Field(() => UUIDScalar) cardItemId!: string;
  @Field(() => String) itemHeader!: string;
  @Field(() => CardItemBodyType) itemBody!: CardItemBodyType;
  @Field(() => CardSupportedActionsType) supportedActions!: CardSupportedActionsType;
  @Field(() => CardItemPreprocessingType) itemPreprocessing!: CardItemPreprocessingType;
  @Field(() => DateTimeScalar) itemCreatedAt!: Date;
  @Field(() => CardInteractionStatus) interactionStatus!: CardInteractionStatus;
  @Field(() => String, { description: "The detector that created the card (e.g. `missed_first_action`)." }) triggerName!: string;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar) updatedAt!: Date;
}

@ObjectType("CoachNudgeCardPage")
export class CoachNudgeCardPageType extends PageType(CoachNudgeCardType) {}

@InputType("UpdateCardInput")
export class UpdateCardInput {
  @Field(() => CardInteractionStatus)
  @IsEnum(CardInteractionStatus)
  interactionStatus!: CardInteractionStatus;
}

@InputType("SandboxNudgeInput")
export class SandboxNudgeInput {
  @Field(() => String, { description: `One of: ${TRIGGER_NAMES.join(", ")}.` })
  @IsIn([...TRIGGER_NAMES])
  triggerName!: string;
}

@ObjectType("NudgeTarget")
export class NudgeTargetType {
  @Field(() => String, { description: "`card` or `health_action`." }) type!: string;
  @Field(() => UUIDScalar) id!: string;
}

@ObjectType("SandboxNudge", { description: "A nudge fired on demand (sandbox orgs), through the same path as a scheduled firing." })
export class SandboxNudgeType {
  @Field(() => String) triggerName!: string;
  @Field(() => NudgeTargetType) target!: NudgeTargetType;
  @Field(() => UUIDScalar, { description: "The `coach.nudge.created` event's id." }) eventId!: string;
  @Field(() => DateTimeScalar) createdAt!: Date;
}
