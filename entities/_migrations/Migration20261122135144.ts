import { Migration } from '@mikro-orm/migrations';

export class Migration20261122135144 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "org_environment" as enum ('sandbox', 'production');`);
    this.addSql(`create type "weight_unit" as enum ('kg', 'lb');`);
    this.addSql(`create type "height_unit" as enum ('cm', 'in');`);
    this.addSql(`create type "gender" as enum ('male', 'female', 'non_binary', 'other', 'prefer_not_to_say');`);
    this.addSql(`create type "job_status" as enum ('accepted', 'running', 'completed', 'failed');`);
    this.addSql(`create table "orgs" ("id" uuid not null, "name" text not null, "key" text not null, "environment" "org_environment" not null default 'sandbox', "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "orgs_pkey" primary key ("id"));`);
    this.addSql(`alter table "orgs" add constraint "orgs_key_unique" unique ("key");`);

    this.addSql(`create table "signing_secrets" ("id" uuid not null, "org_id" uuid not null, "ciphertext" text not null, "created_at" timestamptz not null, "expires_at" timestamptz null, constraint "signing_secrets_pkey" primary key ("id"));`);
    this.addSql(`create index "signing_secrets_org_id_index" on "signing_secrets" ("org_id");`);

    this.addSql(`create table "tenant_keys" ("id" text not null, "org_id" uuid not null, "name" text not null, "secret_hash" text not null, "created_at" timestamptz not null, "last_used_at" timestamptz null, "expires_at" timestamptz null, "revoked_at" timestamptz null, constraint "tenant_keys_pkey" primary key ("id"));`);
    this.addSql(`create index "tenant_keys_org_id_index" on "tenant_keys" ("org_id");`);

    this.addSql(`create table "users" ("id" uuid not null, "org_id" uuid not null, "partner_user_id" uuid not null, "external_id" text null, "first_name" text null, "last_name" text null, "name" text null, "email" text null, "phone" text null, "timezone" text null, "birthday" date null, "weight" double precision null, "weight_unit" "weight_unit" null, "height" double precision null, "height_unit" "height_unit" null, "preferences" text null, "pre_existing_conditions" jsonb null, "gender" "gender" null, "ethnicity" text null, "location_city" text null, "location_state" text null, "location_country" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "users_pkey" primary key ("id"));`);
    this.addSql(`alter table "users" add constraint "users_org_id_partner_user_id_unique" unique ("org_id", "partner_user_id");`);

    this.addSql(`create table "privacy_settings" ("user_id" uuid not null, "conversation_recording_opt_in" boolean not null default false, "updated_at" timestamptz not null, constraint "privacy_settings_pkey" primary key ("user_id"));`);

    this.addSql(`create table "idempotency_records" ("scope" text not null, "key" text not null, "org_id" uuid not null, "user_id" uuid null, "request_hash" text not null, "response_status" int null, "response_body" text null, "created_at" timestamptz not null, "expires_at" timestamptz not null, constraint "idempotency_records_pkey" primary key ("scope", "key"));`);
    this.addSql(`create index "idempotency_records_expires_at_index" on "idempotency_records" ("expires_at");`);

    this.addSql(`create table "async_jobs" ("id" uuid not null, "org_id" uuid not null, "user_id" uuid null, "type" text not null, "status" "job_status" not null default 'accepted', "params" jsonb null, "result" jsonb null, "attempts" int not null default 0, "created_at" timestamptz not null, "updated_at" timestamptz not null, "started_at" timestamptz null, "finished_at" timestamptz null, constraint "async_jobs_pkey" primary key ("id"));`);
    this.addSql(`create index "async_jobs_user_id_created_at_index" on "async_jobs" ("user_id", "created_at");`);

    this.addSql(`alter table "signing_secrets" add constraint "signing_secrets_org_id_foreign" foreign key ("org_id") references "orgs" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "tenant_keys" add constraint "tenant_keys_org_id_foreign" foreign key ("org_id") references "orgs" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "users" add constraint "users_org_id_foreign" foreign key ("org_id") references "orgs" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "privacy_settings" add constraint "privacy_settings_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "idempotency_records" add constraint "idempotency_records_org_id_foreign" foreign key ("org_id") references "orgs" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "idempotency_records" add constraint "idempotency_records_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "async_jobs" add constraint "async_jobs_org_id_foreign" foreign key ("org_id") references "orgs" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "async_jobs" add constraint "async_jobs_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "signing_secrets" drop constraint "signing_secrets_org_id_foreign";`);

    this.addSql(`alter table "tenant_keys" drop constraint "tenant_keys_org_id_foreign";`);

    this.addSql(`alter table "users" drop constraint "users_org_id_foreign";`);

    this.addSql(`alter table "idempotency_records" drop constraint "idempotency_records_org_id_foreign";`);

    this.addSql(`alter table "async_jobs" drop constraint "async_jobs_org_id_foreign";`);

    this.addSql(`alter table "privacy_settings" drop constraint "privacy_settings_user_id_foreign";`);

    this.addSql(`alter table "idempotency_records" drop constraint "idempotency_records_user_id_foreign";`);

    this.addSql(`alter table "async_jobs" drop constraint "async_jobs_user_id_foreign";`);

    this.addSql(`drop table if exists "orgs" cascade;`);

    this.addSql(`drop table if exists "signing_secrets" cascade;`);

    this.addSql(`drop table if exists "tenant_keys" cascade;`);

    this.addSql(`drop table if exists "users" cascade;`);

    this.addSql(`drop table if exists "privacy_settings" cascade;`);

    this.addSql(`drop table if exists "idempotency_records" cascade;`);

    this.addSql(`drop table if exists "async_jobs" cascade;`);

    this.addSql(`drop type "org_environment";`);
    this.addSql(`drop type "weight_unit";`);
    this.addSql(`drop type "height_unit";`);
    this.addSql(`drop type "gender";`);
    this.addSql(`drop type "job_status";`);
  }

}
