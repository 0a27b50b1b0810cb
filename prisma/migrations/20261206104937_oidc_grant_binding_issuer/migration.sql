-- AlterTable
ALTER TABLE "directory"."OidcGrantBinding" ADD COLUMN     "issuer" TEXT NOT NULL DEFAULT '';
