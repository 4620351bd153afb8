import type { EntityManager } from "@mikro-orm/postgresql";
import crypto from "node:crypto";
import { HealthAction } from "../../entities/health-actions/health-action.entity";
import { NudgeCard } from "../../entities/nudges/nudge-card.entity";
import { User } from "../../entities/users/user.entity";
import type { AppDeps } from "../_shared/deps";
import { emitEvents } from "../event-stream/emit";
import { healthActionToWire } from "../health-actions";
import type { Firing } from "./detectors/types";
import { cardToWire } from "./nudges.mapper";
import type { NudgeMember } from "./snapshots";

export type NudgeOrigin = "schedule" | "sandbox";

export interface FireRequest {
  member: NudgeMember;
  firing: Firing;
  origin: NudgeOrigin;
}

export interface FiredNudge {
  member: NudgeMember;
  firing: Firing;
  targetType: "card" | "health_action";
  targetId: string;
  eventId: string;
  createdAt: Date;
}

/**
 * Drops requests whose window was already used (one set-based read): a detector keeps matching all
 * day, so most of a steady-state tick's requests are repeats, and their card text need not be
 * written. Only an optimisation: the claim in the transaction stays the guarantee under races.
 */
async function unusedWindows(deps: AppDeps, requests: FireRequest[]): Promise<FireRequest[]> {
  if (requests.length === 0) return [];
  const keys = requests.map((r) => ({ user_id: r.member.id, trigger_name: r.firing.trigger, window_key: r.firing.windowKey }));
  const used = await deps.orm.em.fork().execute<{ user_id: string; trigger_name: string; window_key: string }[]>(
    `select f.user_id, f.trigger_name, f.window_key
       from json_to_recordset(?::json) as t(user_id uuid, trigger_name text, window_key text)
       join nudge_firings f on f.user_id = t.user_id and f.trigger_name = t.trigger_name and f.window_key = t.window_key`,
    [JSON.stringify(keys)],
  );
  if (used.length === 0) return requests;
  const seen = new Set(used.map((u) => `${u.user_id}|${u.trigger_name}|${u.window_key}`));
  return requests.filter((r) => !seen.has(`${r.member.id}|${r.firing.trigger}|${r.firing.windowKey}`));
}

/** Cards about an action offer to complete it; other cards offer nothing beyond open/dismiss. */
const actionKeys = (f: Firing) => (f.healthActionId ? ["mark_health_action_as_completed"] : []);

/**
 * The one path every nudge takes, scheduled or sandbox: claim the (member, trigger, window) slot,
 * create the card (or point at the health action), and write exactly one `coach.nudge.created`
 * event, all in one transaction. The claim is `INSERT … ON CONFLICT DO NOTHING` on the unique
 * window key, so two workers sweeping at once serialise on that row and only one creates the nudge.
 * Card text is written before the transaction (the AI provider may be a network call).
 */
export async function fireNudges(deps: AppDeps, requests: FireRequest[]): Promise<FiredNudge[]> {
  const open = await unusedWindows(deps, requests);
  if (open.length === 0) return [];
  const prepared = await Promise.all(
    open.map(async (r) => {
      const isCard = r.firing.target === "card";
      const text = isCard ? await deps.ai.writeNudge({ trigger: r.firing.trigger, facts: r.firing.facts, firstName: r.member.firstName }) : null;
      const targetId = isCard ? crypto.randomUUID() : r.firing.healthActionId!;
      return { ...r, text, firingId: crypto.randomUUID(), targetId };
    }),
  );

  return deps.orm.em.fork().transactional(async (em: EntityManager) => {
    const now = deps.now();
    // A health action can be deleted between the snapshot and this transaction: drop its nudges
    // rather than fail the whole batch on the foreign key. FOR SHARE keeps the rest until commit.
    const actionIds = [...new Set(prepared.flatMap((p) => (p.firing.healthActionId ? [p.firing.healthActionId] : [])))];
    const live = new Set(
      actionIds.length
        ? (
            await em.execute<{ id: string }[]>("select id from health_actions where id = any(array(select json_array_elements_text(?::json)::uuid)) for share", [
              JSON.stringify(actionIds),
            ])
          ).map((r) => r.id)
        : [],
    );
    const claimRows = prepared
      .filter((p) => !p.firing.healthActionId || live.has(p.firing.healthActionId))
      .map((p) => ({
        id: p.firingId,
        user_id: p.member.id,
        trigger_name: p.firing.trigger,
        window_key: p.firing.windowKey,
        target_type: p.firing.target,
        target_id: p.targetId,
        origin: p.origin,
      }));
    const claimed = await em.execute<{ id: string }[]>(
      `insert into nudge_firings (id, user_id, trigger_name, window_key, target_type, target_id, origin, fired_at)
       select t.id, t.user_id, t.trigger_name, t.window_key, t.target_type, t.target_id, t.origin, ?::timestamptz
         from json_to_recordset(?::json) as t(id uuid, user_id uuid, trigger_name text, window_key text, target_type text, target_id uuid, origin text)
       on conflict (user_id, trigger_name, window_key) do nothing
       returning id`,
      [now, JSON.stringify(claimRows)],
    );
    const won = new Set(claimed.map((c) => c.id));
    const winners = prepared.filter((p) => won.has(p.firingId));
    if (winners.length === 0) return [];

    const cards = new Map<string, NudgeCard>();
    for (const p of winners) {
      if (!p.text) continue;
      cards.set(
        p.firingId,
        em.create(NudgeCard, {
          id: p.targetId,
          user: em.getReference(User, p.member.id),
          triggerName: p.firing.trigger,
          itemHeader: p.text.itemHeader,
          itemBody: { main: p.text.main, description: p.text.description, header: p.text.header },
          supportedActions: actionKeys(p.firing),
          itemPreprocessing: { audio_summary_url: null, audio_duration: null, audio_script: p.text.audioScript },
          healthAction: p.firing.healthActionId ? em.getReference(HealthAction, p.firing.healthActionId) : null,
          itemCreatedAt: now,
          createdAt: now,
          updatedAt: now,
        }),
      );
    }
    await em.flush();

    const fullActions = winners.filter((p) => !p.text && p.member.delivery === "full").map((p) => p.targetId);
    const actions = new Map(fullActions.length ? (await em.find(HealthAction, { id: { $in: fullActions } })).map((a) => [a.id, a] as const) : []);

    const events = await emitEvents(
      em,
      winners.map((p) => {
        const card = cards.get(p.firingId);
        const targetType = card ? "card" : "health_action";
        const body: Record<string, unknown> = {
          user_id: p.member.partnerUserId,
          trigger_name: p.firing.trigger,
          delivery: p.member.delivery,
          target: { type: targetType, id: p.targetId },
        };
        if (p.member.delivery === "full") {
          const action = actions.get(p.targetId);
          if (card) body.data = cardToWire(card);
          else if (action) body.data = healthActionToWire(action);
        }
        return {
          orgId: p.member.orgId,
          type: "coach.nudge.created" as const,
          body,
          user: em.getReference(User, p.member.id),
          subjectUserId: p.member.partnerUserId,
          occurredAt: now,
        };
      }),
    );
    return winners.map((p, i) => ({
      member: p.member,
      firing: p.firing,
      targetType: p.text ? ("card" as const) : ("health_action" as const),
      targetId: p.targetId,
      eventId: events[i].id,
      createdAt: now,
    }));
  });
}
