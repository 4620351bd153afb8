import { Migration } from '@mikro-orm/migrations';

export class Migration20261122150231 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "device_connection_status" as enum ('connected', 'error', 'disconnected', 'pending');`);
    this.addSql(`create type "device_backfill_status" as enum ('pending', 'in_progress', 'completed', 'failed');`);
    this.addSql(`create table "device_oauth_states" ("id" uuid not null, "user_id" uuid not null, "provider_slug" text not null, "state_hash" text not null, "code_verifier_enc" text not null, "redirect_uri" text not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "created_at" timestamptz not null, constraint "device_oauth_states_pkey" primary key ("id"));`);
    this.addSql(`alter table "device_oauth_states" add constraint "device_oauth_states_state_hash_unique" unique ("state_hash");`);

    this.addSql(`create table "device_link_tokens" ("id" uuid not null, "user_id" uuid not null, "provider_slug" text not null, "token_hash" text not null, "redirect_uri" text not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "created_at" timestamptz not null, constraint "device_link_tokens_pkey" primary key ("id"));`);
    this.addSql(`alter table "device_link_tokens" add constraint "device_link_tokens_token_hash_unique" unique ("token_hash");`);

    this.addSql(`create table "device_connections" ("id" uuid not null, "user_id" uuid not null, "provider_slug" text not null, "health_data_user_id" uuid not null, "status" "device_connection_status" not null, "connected_at" timestamptz null, "last_sync_at" timestamptz null, "error" text null, "backfill_status" "device_backfill_status" null, "backfill_started_at" timestamptz null, "backfill_completed_at" timestamptz null, "backfill_error" text null, "access_token_enc" text null, "refresh_token_enc" text null, "token_expires_at" timestamptz null, "scopes" jsonb not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "device_connections_pkey" primary key ("id"));`);
    this.addSql(`create index "device_connections_user_id_created_at_index" on "device_connections" ("user_id", "created_at");`);
    this.addSql(`alter table "device_connections" add constraint "device_connections_user_id_provider_slug_unique" unique ("user_id", "provider_slug");`);

    this.addSql(`alter table "device_oauth_states" add constraint "device_oauth_states_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "device_link_tokens" add constraint "device_link_tokens_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "device_connections" add constraint "device_connections_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "device_oauth_states" cascade;`);

    this.addSql(`drop table if exists "device_link_tokens" cascade;`);

    this.addSql(`drop table if exists "device_connections" cascade;`);

    this.addSql(`drop type "device_connection_status";`);
    this.addSql(`drop type "device_backfill_status";`);
  }

}
