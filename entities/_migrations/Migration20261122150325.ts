import { Migration } from '@mikro-orm/migrations';

export class Migration20261122150325 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "timeseries_samples" ("id" uuid not null, "user_id" uuid not null, "metric" text not null, "ts" timestamptz not null, "value" double precision null, "systolic" double precision null, "diastolic" double precision null, "unit" text not null, "provider" text not null, "device" text null, "source" text null, "client_id" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "timeseries_samples_pkey" primary key ("id"));`);
    this.addSql(`create index "timeseries_samples_read_index" on "timeseries_samples" ("user_id", "metric", "ts") include ("provider", "value", "systolic", "diastolic");`);
    this.addSql(`create unique index "timeseries_samples_client_id_unique" on "timeseries_samples" ("user_id", "metric", "provider", "client_id") where "client_id" is not null;`);
    this.addSql(`alter table "timeseries_samples" add constraint "timeseries_samples_instant_unique" unique ("user_id", "metric", "provider", "ts");`);

    this.addSql(`alter table "timeseries_samples" add constraint "timeseries_samples_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "timeseries_samples" cascade;`);
  }

}
