import { Migration } from '@mikro-orm/migrations';

export class Migration20261122141325 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "org_member_scope" as enum ('admin', 'member', 'viewer');`);
    this.addSql(`create table "org_invites" ("id" uuid not null, "org_id" uuid not null, "email" text not null, "scope" "org_member_scope" not null, "token_hash" text not null, "token_prefix" text not null, "created_at" timestamptz not null, "expires_at" timestamptz not null, "accepted_at" timestamptz null, "revoked_at" timestamptz null, "superseded_at" timestamptz null, constraint "org_invites_pkey" primary key ("id"));`);
    this.addSql(`alter table "org_invites" add constraint "org_invites_token_hash_unique" unique ("token_hash");`);
    this.addSql(`create index "org_invites_org_id_created_at_index" on "org_invites" ("org_id", "created_at");`);
    this.addSql(`create unique index "org_invites_open_email_unique" on "org_invites" ("org_id", "email") where "accepted_at" is null and "revoked_at" is null and "superseded_at" is null;`);

    this.addSql(`create table "org_members" ("id" uuid not null, "org_id" uuid not null, "email" text not null, "name" text null, "scope" "org_member_scope" not null, "created_at" timestamptz not null, constraint "org_members_pkey" primary key ("id"));`);
    this.addSql(`alter table "org_members" add constraint "org_members_org_id_email_unique" unique ("org_id", "email");`);

    this.addSql(`alter table "org_invites" add constraint "org_invites_org_id_foreign" foreign key ("org_id") references "orgs" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "org_members" add constraint "org_members_org_id_foreign" foreign key ("org_id") references "orgs" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "org_invites" cascade;`);

    this.addSql(`drop table if exists "org_members" cascade;`);

    this.addSql(`drop type "org_member_scope";`);
  }

}
