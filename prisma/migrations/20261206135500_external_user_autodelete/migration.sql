-- Issue 19: seed 002's `autodelete` setting of external users (true: deleted as soon as the session ends).
-- AlterTable
ALTER TABLE "auth"."ExternalUser" ADD COLUMN     "autodelete" BOOLEAN NOT NULL DEFAULT true;
