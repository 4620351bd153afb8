import type { NudgeCard } from "../../entities/nudges/nudge-card.entity";
import type { CoachNudgeCardType } from "../../schema/nudges/card.type";
import { formatInstant } from "../../schema/_shared/scalars";

export function toCard(c: NudgeCard): CoachNudgeCardType {
  const p = c.itemPreprocessing;
  return {
    cardItemId: c.id,
    itemHeader: c.itemHeader,
    itemBody: { main: c.itemBody.main, description: c.itemBody.description, header: c.itemBody.header },
    supportedActions: { actionKeys: [...c.supportedActions] },
    itemPreprocessing: { audioSummaryUrl: p?.audio_summary_url ?? null, audioDuration: p?.audio_duration ?? null, audioScript: p?.audio_script ?? null },
    itemCreatedAt: c.itemCreatedAt,
    interactionStatus: c.interactionStatus,
    triggerName: c.triggerName,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

/** The card exactly as `GET /v1/users/{user_id}/cards/{card_item_id}` renders it (inline `data` of `full` events). */
export function cardToWire(c: NudgeCard): Record<string, unknown> {
  const p = c.itemPreprocessing;
  return {
    card_item_id: c.id,
    item_header: c.itemHeader,
    item_body: { main: c.itemBody.main, description: c.itemBody.description, header: c.itemBody.header },
    supported_actions: { action_keys: [...c.supportedActions] },
    item_preprocessing: { audio_summary_url: p?.audio_summary_url ?? null, audio_duration: p?.audio_duration ?? null, audio_script: p?.audio_script ?? null },
    item_created_at: formatInstant(c.itemCreatedAt),
    interaction_status: c.interactionStatus,
    trigger_name: c.triggerName,
    created_at: formatInstant(c.createdAt),
    updated_at: formatInstant(c.updatedAt),
  };
}
