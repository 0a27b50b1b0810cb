-- Usernames unique per domain and emails unique in the installation, whatever their case (issue 15,
-- findings 13 and 14). The keys are generated columns, lower() of the originals: the database keeps
-- them, so every writer fills them, this release's or the previous one's during a rollout.
-- (No semicolon may appear inside a statement: the migration runner splits scripts on them.)

-- Existing duplicates: the oldest user keeps the name or the address (until now a login picked one of
-- them, and an email held twice logged nobody in). A later user with the same name in another case is
-- renamed to `<name>~<first 8 characters of its id>` (still a valid SIP name, shown in the admin list);
-- a later holder of the same email loses it (the address never worked for it).
UPDATE "directory"."User" AS u
SET username = left(u.username, 119) || '~' || left(u.id::text, 8)
FROM (
  SELECT id, row_number() OVER (PARTITION BY domain, lower(username) ORDER BY "createdAt", id) AS n
  FROM "directory"."User"
) AS ranked
WHERE ranked.id = u.id AND ranked.n > 1;

UPDATE "directory"."User" AS u
SET email = NULL
FROM (
  SELECT id, row_number() OVER (PARTITION BY lower(email) ORDER BY "createdAt", id) AS n
  FROM "directory"."User"
  WHERE email IS NOT NULL
) AS ranked
WHERE ranked.id = u.id AND ranked.n > 1;

-- AlterTable
ALTER TABLE "directory"."User" ADD COLUMN "emailKey" TEXT GENERATED ALWAYS AS (lower(email)) STORED,
ADD COLUMN "usernameKey" TEXT GENERATED ALWAYS AS (lower(username)) STORED;

-- DropIndex: replaced by the case-insensitive ones below.
DROP INDEX "directory"."User_domain_username_key";

-- DropIndex
DROP INDEX "directory"."User_email_idx";

-- CreateIndex
CREATE UNIQUE INDEX "User_emailKey_key" ON "directory"."User"("emailKey");

-- CreateIndex
CREATE UNIQUE INDEX "User_domain_usernameKey_key" ON "directory"."User"("domain", "usernameKey");
