-- AlterTable
ALTER TABLE "federation"."FederationSettings" ADD COLUMN     "netlogonBadPasswordWindowMinutes" INTEGER NOT NULL DEFAULT 30,
ADD COLUMN     "netlogonFallbackUrls" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "netlogonLoginAttribute" TEXT NOT NULL DEFAULT 'sAMAccountName',
ADD COLUMN     "netlogonMaxBadPasswords" INTEGER NOT NULL DEFAULT 2,
ADD COLUMN     "netlogonNetbiosName" TEXT,
ADD COLUMN     "netlogonRequiredGroup" TEXT;

-- CreateTable
CREATE TABLE "federation"."NetlogonBadPassword" (
    "account" TEXT NOT NULL,
    "failures" INTEGER NOT NULL,
    "lastFailureAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "NetlogonBadPassword_pkey" PRIMARY KEY ("account")
);
