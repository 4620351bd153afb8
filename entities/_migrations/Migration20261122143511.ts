import { Migration } from '@mikro-orm/migrations';

export class Migration20261122143511 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "nudge_delivery" as enum ('basic', 'full');`);
    this.addSql(`alter table "orgs" add column "nudge_delivery" "nudge_delivery" not null default 'basic';`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "orgs" drop column "nudge_delivery";`);

    this.addSql(`drop type "nudge_delivery";`);
  }

}
