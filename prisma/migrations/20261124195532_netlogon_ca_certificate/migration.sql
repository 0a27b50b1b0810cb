-- AlterTable
ALTER TABLE "federation"."FederationSettings" ADD COLUMN     "netlogonCaCertificate" TEXT;
