-- Issue 19: web apps on other origins. Extra origins an admin lists on an app (besides the origin of its
-- url) and the lifetime of logins made for them (null: the default, 24 hours).
-- AlterTable
ALTER TABLE "directory"."App" ADD COLUMN     "tokenLifetimeHours" INTEGER,
ADD COLUMN     "webOrigins" TEXT[] DEFAULT ARRAY[]::TEXT[];
