import { Migration } from '@mikro-orm/migrations';

export class Migration20261122155245 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "timeseries_samples" drop constraint "timeseries_samples_instant_unique";`);
    this.addSql(`drop index "timeseries_samples_read_index";`);

    this.addSql(`create unique index "timeseries_samples_instant_key" on "timeseries_samples" ("user_id", "metric", "ts", "provider") include ("value", "systolic", "diastolic");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "timeseries_samples_instant_key";`);

    this.addSql(`alter table "timeseries_samples" add constraint "timeseries_samples_instant_unique" unique ("user_id", "metric", "provider", "ts");`);
    this.addSql(`create index "timeseries_samples_read_index" on "timeseries_samples" ("user_id", "metric", "ts") include ("provider", "value", "systolic", "diastolic");`);
  }

}
