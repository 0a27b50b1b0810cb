-- AlterTable
ALTER TABLE "auth"."settings" ADD COLUMN     "approvalRequiresPasskey" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "passkeyCountsAsTwoFactor" BOOLEAN NOT NULL DEFAULT true;

-- CreateTable
CREATE TABLE "auth"."passkey" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "credentialId" TEXT NOT NULL,
    "publicKey" BYTEA NOT NULL,
    "counter" BIGINT NOT NULL,
    "transports" TEXT[],
    "name" TEXT NOT NULL,
    "backedUp" BOOLEAN NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "lastUsedAt" TIMESTAMPTZ(3),

    CONSTRAINT "passkey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "auth"."webauthn_challenge" (
    "id" UUID NOT NULL,
    "purpose" TEXT NOT NULL,
    "userId" UUID,
    "challenge" TEXT NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "webauthn_challenge_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "passkey_credentialId_key" ON "auth"."passkey"("credentialId");

-- CreateIndex
CREATE INDEX "passkey_userId_idx" ON "auth"."passkey"("userId");

-- CreateIndex
CREATE INDEX "webauthn_challenge_expiresAt_idx" ON "auth"."webauthn_challenge"("expiresAt");
