import { Migration } from '@mikro-orm/migrations';

export class Migration20261122145954 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "sleep_summaries" ("id" uuid not null, "user_id" uuid not null, "provider" text not null, "device" text null, "source" text null, "client_id" text null, "date" date not null, "is_backfill" boolean not null default false, "created_at" timestamptz not null, "updated_at" timestamptz not null, "start" timestamptz not null, "end" timestamptz not null, "duration_seconds" int not null, "efficiency" double precision null, constraint "sleep_summaries_pkey" primary key ("id"));`);
    this.addSql(`create index "sleep_summaries_user_id_date_index" on "sleep_summaries" ("user_id", "date");`);
    this.addSql(`alter table "sleep_summaries" add constraint "sleep_summaries_user_id_provider_client_id_unique" unique ("user_id", "provider", "client_id");`);

    this.addSql(`create table "sleep_stages" ("id" uuid not null, "sleep_id" uuid not null, "stage" text not null, "start" timestamptz not null, "end" timestamptz not null, constraint "sleep_stages_pkey" primary key ("id"));`);
    this.addSql(`create index "sleep_stages_sleep_id_start_index" on "sleep_stages" ("sleep_id", "start");`);

    this.addSql(`create table "body_measurements" ("id" uuid not null, "user_id" uuid not null, "provider" text not null, "device" text null, "source" text null, "client_id" text null, "date" date not null, "is_backfill" boolean not null default false, "created_at" timestamptz not null, "updated_at" timestamptz not null, "measured_at" timestamptz not null, "weight_kg" double precision null, "body_fat_pct" double precision null, "bmi" double precision null, constraint "body_measurements_pkey" primary key ("id"));`);
    this.addSql(`create index "body_measurements_user_id_date_index" on "body_measurements" ("user_id", "date");`);
    this.addSql(`alter table "body_measurements" add constraint "body_measurements_user_id_provider_client_id_unique" unique ("user_id", "provider", "client_id");`);

    this.addSql(`create table "activity_summaries" ("id" uuid not null, "user_id" uuid not null, "provider" text not null, "device" text null, "source" text null, "client_id" text null, "date" date not null, "is_backfill" boolean not null default false, "created_at" timestamptz not null, "updated_at" timestamptz not null, "steps" int null, "calories" double precision null, "distance_meters" double precision null, "active_minutes" int null, constraint "activity_summaries_pkey" primary key ("id"));`);
    this.addSql(`create index "activity_summaries_user_id_client_id_index" on "activity_summaries" ("user_id", "client_id");`);
    this.addSql(`create index "activity_summaries_user_id_date_index" on "activity_summaries" ("user_id", "date");`);
    this.addSql(`alter table "activity_summaries" add constraint "activity_summaries_user_id_provider_date_unique" unique ("user_id", "provider", "date");`);

    this.addSql(`create table "workouts" ("id" uuid not null, "user_id" uuid not null, "provider" text not null, "device" text null, "source" text null, "client_id" text null, "date" date not null, "is_backfill" boolean not null default false, "created_at" timestamptz not null, "updated_at" timestamptz not null, "start" timestamptz not null, "end" timestamptz not null, "activity_type" text not null, "calories" double precision null, "distance_meters" double precision null, "avg_heart_rate" double precision null, constraint "workouts_pkey" primary key ("id"));`);
    this.addSql(`create index "workouts_user_id_date_index" on "workouts" ("user_id", "date");`);
    this.addSql(`alter table "workouts" add constraint "workouts_user_id_provider_client_id_unique" unique ("user_id", "provider", "client_id");`);

    this.addSql(`alter table "sleep_summaries" add constraint "sleep_summaries_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "sleep_stages" add constraint "sleep_stages_sleep_id_foreign" foreign key ("sleep_id") references "sleep_summaries" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "body_measurements" add constraint "body_measurements_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "activity_summaries" add constraint "activity_summaries_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "workouts" add constraint "workouts_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "sleep_stages" drop constraint "sleep_stages_sleep_id_foreign";`);

    this.addSql(`drop table if exists "sleep_summaries" cascade;`);

    this.addSql(`drop table if exists "sleep_stages" cascade;`);

    this.addSql(`drop table if exists "body_measurements" cascade;`);

    this.addSql(`drop table if exists "activity_summaries" cascade;`);

    this.addSql(`drop table if exists "workouts" cascade;`);
  }

}
