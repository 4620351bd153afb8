import { DeviceConnectionStatus } from "../../entities/devices/device-connection.entity";
import type { HealthProfileType } from "../../schema/health-profile/health-profile.type";
import type { Context } from "../_shared/context";
import { privacySettingsOf } from "../privacy";
import { assertMayReach, assertReachable, toLocation, toProfile, type ProfileSource } from "../users";

interface HealthProfileRow extends ProfileSource {
  partnerUserId: string;
  /** Raw SQL reads timestamptz as text (MikroORM's type parser). */
  createdAt: string;
  /** Null when the member has no privacy row (the defaults apply). */
  conversationRecordingOptIn: boolean | null;
  nudgesEnabled: boolean | null;
  devices: { providerSlug: string; status: DeviceConnectionStatus }[];
}

/**
 * The dashboard read in one statement: the member (org-filtered), their privacy row and their
 * device connections (oldest first). It is the hottest member read, and three ORM finds cost about
 * ten times the database's own work (see bench/profile.bench.ts); the access rule is the users
 * service's, applied before and after the read.
 */
const HEALTH_PROFILE_SQL = `
select u.partner_user_id as "partnerUserId", u.created_at as "createdAt",
  u.name, u.email, u.phone, u.timezone, u.birthday::text as birthday, u.weight, u.weight_unit as "weightUnit",
  u.height, u.height_unit as "heightUnit", u.preferences, u.pre_existing_conditions as "preExistingConditions",
  u.gender, u.ethnicity, u.location_city as "locationCity", u.location_state as "locationState", u.location_country as "locationCountry",
  p.conversation_recording_opt_in as "conversationRecordingOptIn", p.nudges_enabled as "nudgesEnabled",
  coalesce((select json_agg(json_build_object('providerSlug', d.provider_slug, 'status', d.status) order by d.created_at, d.id)
            from device_connections d where d.user_id = u.id), '[]'::json) as devices
from users u left join privacy_settings p on p.user_id = u.id
where u.org_id = ? and u.partner_user_id = ?`;

export class HealthProfileService {
  constructor(private readonly ctx: Context) {}

  async get(userId: string): Promise<HealthProfileType> {
    const viewer = this.ctx.viewer;
    assertMayReach(viewer, userId);
    const orgId = viewer.kind === "anonymous" ? null : viewer.orgId;
    const rows = await this.ctx.em.getConnection().execute<HealthProfileRow[]>(HEALTH_PROFILE_SQL, [orgId, userId]);
    const row = assertReachable(viewer, rows[0]);
    return {
      userId: row.partnerUserId,
      profile: toProfile(row),
      location: toLocation(row),
      privacy: privacySettingsOf(row),
      connectedDevices: row.devices,
    };
  }
}
