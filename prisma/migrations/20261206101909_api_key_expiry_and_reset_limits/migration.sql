-- DropIndex
DROP INDEX "auth"."password_reset_userId_idx";

-- AlterTable: keys made before expiry existed get their creation + the default lifetime (90 days).
ALTER TABLE "auth"."ApiKey" ADD COLUMN     "expiresAt" TIMESTAMPTZ(3);
UPDATE "auth"."ApiKey" SET "expiresAt" = "createdAt" + INTERVAL '90 days';
ALTER TABLE "auth"."ApiKey" ALTER COLUMN "expiresAt" SET NOT NULL;

-- CreateIndex
CREATE INDEX "password_reset_userId_createdAt_idx" ON "auth"."password_reset"("userId", "createdAt");
