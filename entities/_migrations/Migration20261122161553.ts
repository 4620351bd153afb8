import { Migration } from '@mikro-orm/migrations';

export class Migration20261122161553 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "onboarding_task_status" as enum ('completed', 'skipped');`);
    this.addSql(`create type "health_action_status" as enum ('pending', 'completed', 'skipped', 'missed', 'cancelled');`);
    this.addSql(`create type "health_action_source" as enum ('partner', 'coach', 'program');`);
    this.addSql(`create type "card_interaction_status" as enum ('pending', 'opened', 'completed', 'dismissed');`);
    this.addSql(`create type "check_in_status" as enum ('pending', 'completed');`);
    this.addSql(`create type "priority_status" as enum ('active', 'dismissed', 'completed', 'outdated');`);
    this.addSql(`create table "timeseries_hourly" ("user_id" uuid not null, "metric" text not null, "hour" timestamptz not null, "provider" text not null, "sample_count" int not null, "value_sum" double precision null, "systolic_sum" double precision null, "diastolic_sum" double precision null, constraint "timeseries_hourly_pkey" primary key ("user_id", "metric", "hour", "provider"));`);

    this.addSql(`create table "programs" ("id" uuid not null, "user_id" uuid not null, "name" text not null, "description" text not null, "analysis_insight" text null, "active" boolean not null default true, "focus_categories" jsonb not null, "goals" jsonb not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "programs_pkey" primary key ("id"));`);
    this.addSql(`create unique index "programs_one_active" on "programs" ("user_id") where "active";`);

    this.addSql(`create table "onboarding_tasks" ("user_id" uuid not null, "task_id" text not null, "status" "onboarding_task_status" not null, "updated_at" timestamptz not null, constraint "onboarding_tasks_pkey" primary key ("user_id", "task_id"));`);

    this.addSql(`create table "nudge_firings" ("id" uuid not null, "user_id" uuid not null, "trigger_name" text not null, "window_key" text not null, "target_type" text not null, "target_id" uuid not null, "origin" text not null, "fired_at" timestamptz not null, constraint "nudge_firings_pkey" primary key ("id"));`);
    this.addSql(`alter table "nudge_firings" add constraint "nudge_firings_user_id_trigger_name_window_key_unique" unique ("user_id", "trigger_name", "window_key");`);

    this.addSql(`create table "notification_states" ("user_id" uuid not null, "backend_notifications_enabled" boolean not null default false, "updated_at" timestamptz not null, constraint "notification_states_pkey" primary key ("user_id"));`);

    this.addSql(`create table "health_actions" ("id" uuid not null, "user_id" uuid not null, "title" text not null, "description" text null, "status" "health_action_status" not null default 'pending', "scheduled_at" timestamptz not null, "execution_options" jsonb not null, "source" "health_action_source" not null default 'partner', "is_focus" boolean not null default false, "program_id" uuid null, "category" text null, "completed_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "health_actions_pkey" primary key ("id"));`);
    this.addSql(`create index "health_actions_due_idx" on "health_actions" ("scheduled_at") where "status" = 'pending';`);
    this.addSql(`create index "health_actions_user_id_scheduled_at_index" on "health_actions" ("user_id", "scheduled_at");`);

    this.addSql(`create table "recommended_actions" ("id" uuid not null, "user_id" uuid not null, "program_id" uuid null, "title" text not null, "description" text not null, "category" text not null, "local_time" text not null, "accepted_at" timestamptz null, "focus_action_id" uuid null, "created_at" timestamptz not null, constraint "recommended_actions_pkey" primary key ("id"));`);

    this.addSql(`create table "nudge_cards" ("id" uuid not null, "user_id" uuid not null, "trigger_name" text not null, "item_header" text not null, "item_body" jsonb not null, "supported_actions" jsonb not null, "item_preprocessing" jsonb null, "interaction_status" "card_interaction_status" not null default 'pending', "health_action_id" uuid null, "item_created_at" timestamptz not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "nudge_cards_pkey" primary key ("id"));`);
    this.addSql(`create index "nudge_cards_user_id_item_created_at_index" on "nudge_cards" ("user_id", "item_created_at");`);

    this.addSql(`create table "daily_check_ins" ("id" uuid not null, "user_id" uuid not null, "calendar_date" date not null, "status" "check_in_status" not null default 'completed', "mood_rating" smallint null, "energy_level" smallint null, "sleep_quality" smallint null, "notes" text null, "thread_id" uuid null, "session_id" uuid null, "streak_count" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "daily_check_ins_pkey" primary key ("id"));`);
    this.addSql(`alter table "daily_check_ins" add constraint "daily_check_ins_user_id_calendar_date_unique" unique ("user_id", "calendar_date");`);

    this.addSql(`create table "user_priorities" ("id" uuid not null, "user_id" uuid not null, "program_id" uuid null, "title" text not null, "description" text not null, "target" text null, "domains" jsonb not null, "status" "priority_status" not null default 'active', "rank" int not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "user_priorities_pkey" primary key ("id"));`);
    this.addSql(`create index "user_priorities_user_id_status_rank_index" on "user_priorities" ("user_id", "status", "rank");`);

    this.addSql(`alter table "timeseries_hourly" add constraint "timeseries_hourly_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "programs" add constraint "programs_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "onboarding_tasks" add constraint "onboarding_tasks_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "nudge_firings" add constraint "nudge_firings_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "notification_states" add constraint "notification_states_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "health_actions" add constraint "health_actions_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "recommended_actions" add constraint "recommended_actions_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "recommended_actions" add constraint "recommended_actions_focus_action_id_foreign" foreign key ("focus_action_id") references "health_actions" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "nudge_cards" add constraint "nudge_cards_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "nudge_cards" add constraint "nudge_cards_health_action_id_foreign" foreign key ("health_action_id") references "health_actions" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "daily_check_ins" add constraint "daily_check_ins_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "user_priorities" add constraint "user_priorities_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "privacy_settings" add column "nudges_enabled" boolean not null default true;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "recommended_actions" drop constraint "recommended_actions_focus_action_id_foreign";`);

    this.addSql(`alter table "nudge_cards" drop constraint "nudge_cards_health_action_id_foreign";`);

    this.addSql(`drop table if exists "timeseries_hourly" cascade;`);

    this.addSql(`drop table if exists "programs" cascade;`);

    this.addSql(`drop table if exists "onboarding_tasks" cascade;`);

    this.addSql(`drop table if exists "nudge_firings" cascade;`);

    this.addSql(`drop table if exists "notification_states" cascade;`);

    this.addSql(`drop table if exists "health_actions" cascade;`);

    this.addSql(`drop table if exists "recommended_actions" cascade;`);

    this.addSql(`drop table if exists "nudge_cards" cascade;`);

    this.addSql(`drop table if exists "daily_check_ins" cascade;`);

    this.addSql(`drop table if exists "user_priorities" cascade;`);

    this.addSql(`alter table "privacy_settings" drop column "nudges_enabled";`);

    this.addSql(`drop type "onboarding_task_status";`);
    this.addSql(`drop type "health_action_status";`);
    this.addSql(`drop type "health_action_source";`);
    this.addSql(`drop type "card_interaction_status";`);
    this.addSql(`drop type "check_in_status";`);
    this.addSql(`drop type "priority_status";`);
  }

}
