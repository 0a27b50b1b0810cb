-- The admin user list's total (issue 23, bench/admin.ts): a page without a search counted the whole domain,
-- an index-only scan of 50,000 entries on every page (4-5 ms of PostgreSQL's CPU), for a figure that changes
-- only when a user is created, deleted or moved to another domain. The database now keeps it: triggers on User
-- count every insert, delete, domain change and truncate, whoever writes (the services, bulk SQL, COPY), in the
-- writer's own transaction, so the figure is exact whenever the rows are.
-- Inserts and deletes are counted per statement (transition tables: one counter update per domain and statement,
-- a bulk insert of 50,000 users is one), a domain change per row (rare: the trigger's WHEN skips every other update).
-- No semicolon may appear inside a statement here: the migration runner splits scripts on them. The functions'
-- bodies are escape strings that write each one as \073.

-- CreateTable
CREATE TABLE "directory"."DomainUserCount" (
    "domain" TEXT NOT NULL,
    "users" INTEGER NOT NULL,

    CONSTRAINT "DomainUserCount_pkey" PRIMARY KEY ("domain")
);

-- Inserted users (transition table "added"), deleted ones ("removed"), or none left (TRUNCATE). Counter rows are
-- taken in domain order, so two statements over several domains cannot deadlock on them.
CREATE FUNCTION "directory"."count_domain_users"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF TG_OP = ''INSERT'' THEN
    INSERT INTO "directory"."DomainUserCount" AS c ("domain", "users")
      SELECT "domain", count(*)::int FROM added GROUP BY "domain" ORDER BY "domain"
      ON CONFLICT ("domain") DO UPDATE SET "users" = c."users" + excluded."users"\073
  ELSIF TG_OP = ''DELETE'' THEN
    INSERT INTO "directory"."DomainUserCount" AS c ("domain", "users")
      SELECT "domain", -count(*)::int FROM removed GROUP BY "domain" ORDER BY "domain"
      ON CONFLICT ("domain") DO UPDATE SET "users" = c."users" + excluded."users"\073
  ELSE
    DELETE FROM "directory"."DomainUserCount"\073
  END IF\073
  RETURN NULL\073
END';

-- A user moved to another domain.
CREATE FUNCTION "directory"."move_domain_user"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  UPDATE "directory"."DomainUserCount" SET "users" = "users" - 1 WHERE "domain" = OLD."domain"\073
  INSERT INTO "directory"."DomainUserCount" AS c ("domain", "users") VALUES (NEW."domain", 1)
    ON CONFLICT ("domain") DO UPDATE SET "users" = c."users" + 1\073
  RETURN NULL\073
END';

CREATE TRIGGER "User_count_inserted" AFTER INSERT ON "directory"."User"
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION "directory"."count_domain_users"();

CREATE TRIGGER "User_count_deleted" AFTER DELETE ON "directory"."User"
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION "directory"."count_domain_users"();

CREATE TRIGGER "User_count_truncated" AFTER TRUNCATE ON "directory"."User"
  FOR EACH STATEMENT EXECUTE FUNCTION "directory"."count_domain_users"();

CREATE TRIGGER "User_count_moved" AFTER UPDATE OF "domain" ON "directory"."User"
  FOR EACH ROW WHEN (OLD."domain" IS DISTINCT FROM NEW."domain") EXECUTE FUNCTION "directory"."move_domain_user"();

-- The counts of the users already there, in one transaction that holds writers off (a DO block is one statement
-- for the runner): what writers committed before the lock was granted is counted here (replacing what the
-- triggers counted of it meanwhile), what they write after it by the triggers.
DO E'
BEGIN
  LOCK TABLE "directory"."User" IN SHARE ROW EXCLUSIVE MODE\073
  DELETE FROM "directory"."DomainUserCount"\073
  INSERT INTO "directory"."DomainUserCount" ("domain", "users")
    SELECT "domain", count(*)::int FROM "directory"."User" GROUP BY "domain"\073
END';
