-- The admin list's pages (issue 23, bench/admin.ts): a page at offset 25,000 walked 25,050 entries of
-- (domain, username) and fetched each one's row from the table for its id, 25,000 heap visits for 50 rows
-- (11-28 ms). With the id in the index the page is an index-only scan (about 200 index pages, 2 ms).

-- DropIndex
DROP INDEX "directory"."User_domain_username_idx";

-- CreateIndex
CREATE INDEX "User_domain_username_id_idx" ON "directory"."User"("domain", "username", "id");
