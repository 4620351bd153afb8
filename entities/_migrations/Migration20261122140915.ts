import { Migration } from '@mikro-orm/migrations';

export class Migration20261122140915 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "event_status" as enum ('pending', 'delivered', 'failed');`);
    this.addSql(`create table "org_queues" ("id" uuid not null, "org_id" uuid not null, "queue_name" text not null, "type" text not null, "settings" jsonb not null, "secrets_ciphertext" text not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "org_queues_pkey" primary key ("id"));`);
    this.addSql(`alter table "org_queues" add constraint "org_queues_org_id_queue_name_unique" unique ("org_id", "queue_name");`);

    this.addSql(`create table "events" ("id" uuid not null, "org_id" uuid not null, "user_id" uuid null, "subject_user_id" uuid null, "event_type" text not null, "stream" text null, "target_queue" text null, "occurred_at" timestamptz not null, "body" text not null, "status" "event_status" not null default 'pending', "attempts" int not null default 0, "next_attempt_at" timestamptz not null, "first_attempt_at" timestamptz null, "delivered_at" timestamptz null, "last_error" text null, "created_at" timestamptz not null, constraint "events_pkey" primary key ("id"));`);
    this.addSql(`create index "events_org_id_created_at_index" on "events" ("org_id", "created_at");`);
    this.addSql(`create index events_due_index on events (next_attempt_at) where status = 'pending';`);

    this.addSql(`create table "event_delivery_attempts" ("id" uuid not null, "event_id" uuid not null, "attempt_no" int not null, "attempted_at" timestamptz not null, "queue_name" text not null, "queue_type" text not null, "outcome" text not null, "latency_ms" int not null, "error" text null, constraint "event_delivery_attempts_pkey" primary key ("id"));`);
    this.addSql(`create index "event_delivery_attempts_event_id_attempted_at_index" on "event_delivery_attempts" ("event_id", "attempted_at");`);

    this.addSql(`alter table "org_queues" add constraint "org_queues_org_id_foreign" foreign key ("org_id") references "orgs" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "events" add constraint "events_org_id_foreign" foreign key ("org_id") references "orgs" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "events" add constraint "events_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "event_delivery_attempts" add constraint "event_delivery_attempts_event_id_foreign" foreign key ("event_id") references "events" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "event_delivery_attempts" drop constraint "event_delivery_attempts_event_id_foreign";`);

    this.addSql(`drop table if exists "org_queues" cascade;`);

    this.addSql(`drop table if exists "events" cascade;`);

    this.addSql(`drop table if exists "event_delivery_attempts" cascade;`);

    this.addSql(`drop type "event_status";`);
  }

}
