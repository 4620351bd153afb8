import { Migration } from '@mikro-orm/migrations';

export class Migration20261122150041 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "sleep_summaries" add column "stages_digest" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "sleep_summaries" drop column "stages_digest";`);
  }

}
