import type { MikroORM } from "@mikro-orm/core";
import type { PostgreSqlDriver } from "@mikro-orm/postgresql";
import type { SecretBox } from "../../resolvers/_shared/crypto";
import type { Viewer } from "../../resolvers/_shared/viewer";

export type IdempotencyBegin = { state: "new" } | { state: "replay"; status: number; body: string | null } | { state: "conflict" } | { state: "in_progress" };

/** An in-flight claim older than this is treated as abandoned (its process died) and may be taken over. */
const ABANDONED_AFTER_SECONDS = 60;

/**
 * Idempotency-Key storage (PostgreSQL). The first request claims (scope, key) with an INSERT; a
 * concurrent duplicate sees the unfinished claim (409), a later one gets the stored response.
 * Responses are encrypted at rest: they can hold a freshly issued secret or health data.
 */
export class IdempotencyStore {
  constructor(
    private readonly orm: MikroORM<PostgreSqlDriver>,
    private readonly box: SecretBox,
    private readonly ttlSeconds: number,
  ) {}

  private get conn() {
    return this.orm.em.getConnection();
  }

  async begin(scope: string, key: string, viewer: Viewer, requestHash: string): Promise<IdempotencyBegin> {
    if (viewer.kind === "anonymous") return { state: "new" };
    const memberId = viewer.kind === "member" ? viewer.userId : null;
    const claimed = await this.conn.execute<{ scope: string }[]>(
      `insert into idempotency_records (scope, key, org_id, user_id, request_hash, created_at, expires_at)
       values (?, ?, ?, (select id from users where org_id = ? and partner_user_id = ?::uuid), ?, now(), now() + make_interval(secs => ?))
       on conflict (scope, key) do update
         set request_hash = excluded.request_hash, user_id = excluded.user_id, response_status = null, response_body = null,
             created_at = now(), expires_at = excluded.expires_at
         where idempotency_records.expires_at < now()
            or (idempotency_records.response_status is null and idempotency_records.request_hash = excluded.request_hash
                and idempotency_records.created_at < now() - make_interval(secs => ?))
       returning scope`,
      [scope, key, viewer.orgId, viewer.orgId, memberId, requestHash, this.ttlSeconds, ABANDONED_AFTER_SECONDS],
    );
    if (claimed.length > 0) return { state: "new" };
    const rows = await this.conn.execute<{ request_hash: string; response_status: number | null; response_body: string | null }[]>(
      "select request_hash, response_status, response_body from idempotency_records where scope = ? and key = ?",
      [scope, key],
    );
    const row = rows[0];
    if (!row) return { state: "in_progress" };
    if (row.request_hash !== requestHash) return { state: "conflict" };
    if (row.response_status === null) return { state: "in_progress" };
    return { state: "replay", status: row.response_status, body: row.response_body === null ? null : this.box.decrypt(row.response_body) };
  }

  /** Stores the outcome; a 5xx releases the key so the partner can retry the same request. */
  async complete(scope: string, key: string, status: number, body: string | null): Promise<void> {
    if (status >= 500) {
      await this.conn.execute("delete from idempotency_records where scope = ? and key = ?", [scope, key]);
      return;
    }
    await this.conn.execute("update idempotency_records set response_status = ?, response_body = ? where scope = ? and key = ?", [
      status,
      body === null ? null : this.box.encrypt(body),
      scope,
      key,
    ]);
  }

  async purgeExpired(): Promise<number> {
    const res = await this.conn.execute("delete from idempotency_records where expires_at < now()", [], "run");
    return (res as { affectedRows?: number }).affectedRows ?? 0;
  }
}
