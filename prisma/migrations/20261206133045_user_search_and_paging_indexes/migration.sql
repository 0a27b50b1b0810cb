-- The admin user list at 100,000 users (issue 23): its page and its count were two sequential scans
-- (ILIKE '%q%' on three columns, and ORDER BY username with no index). The search is now by prefix of
-- the lower() keys. Those keys are compared byte for byte (COLLATE "C"), so a plain b-tree index serves
-- `key LIKE 'prefix%'` as a range whatever the database's collation (under any other one, PostgreSQL
-- uses such an index for LIKE only with text_pattern_ops, which Prisma cannot keep in step), and the
-- equality lookups of a login and the unique indexes behave as before: lower() already decided the case.
-- Prisma has no attribute for a column's collation: the schema names the indexes, this script the collation.
-- (No semicolon may appear inside a statement: the migration runner splits scripts on them.)

-- AlterTable: the email key in byte order (its unique index is rebuilt).
ALTER TABLE "directory"."User" ALTER COLUMN "emailKey" TYPE TEXT COLLATE "C";

-- AlterTable: lower(displayName), generated as emailKey and usernameKey are (written by no one).
ALTER TABLE "directory"."User" ADD COLUMN "displayNameKey" TEXT COLLATE "C" GENERATED ALWAYS AS (lower("displayName")) STORED;

-- CreateIndex: the list's order within a domain.
CREATE INDEX "User_domain_username_idx" ON "directory"."User"("domain", "username");

-- CreateIndex: email prefixes within a domain ((domain, usernameKey) is the unique index).
CREATE INDEX "User_domain_emailKey_idx" ON "directory"."User"("domain", "emailKey");

-- CreateIndex: display-name prefixes within a domain.
CREATE INDEX "User_domain_displayNameKey_idx" ON "directory"."User"("domain", "displayNameKey");

-- AlterTable: the name key in byte order, last: rebuilt after the indexes above, its unique index is the one
-- the planner weighs first, so on a table of a few rows (where every index costs the same) a login by name
-- still takes it rather than another (domain, ...) index with the name as a filter.
ALTER TABLE "directory"."User" ALTER COLUMN "usernameKey" TYPE TEXT COLLATE "C";
