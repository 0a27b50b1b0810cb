-- AlterTable
ALTER TABLE "directory"."App" ADD COLUMN     "oidcClient" JSONB;

-- CreateTable
CREATE TABLE "directory"."OidcPayload" (
    "model" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "grantId" TEXT,
    "userCode" TEXT,
    "uid" TEXT,
    "deviceSessionId" UUID,
    "expiresAt" TIMESTAMPTZ(3),
    "consumedAt" TIMESTAMPTZ(3),

    CONSTRAINT "OidcPayload_pkey" PRIMARY KEY ("model","id")
);

-- CreateTable
CREATE TABLE "directory"."OidcGrantBinding" (
    "grantId" TEXT NOT NULL,
    "deviceSessionId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "clientId" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OidcGrantBinding_pkey" PRIMARY KEY ("grantId")
);

-- CreateTable
CREATE TABLE "directory"."OidcSigningKey" (
    "kid" TEXT NOT NULL,
    "sealedJwk" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retireAt" TIMESTAMPTZ(3),

    CONSTRAINT "OidcSigningKey_pkey" PRIMARY KEY ("kid")
);

-- CreateIndex
CREATE INDEX "OidcPayload_grantId_idx" ON "directory"."OidcPayload"("grantId");

-- CreateIndex
CREATE INDEX "OidcPayload_deviceSessionId_idx" ON "directory"."OidcPayload"("deviceSessionId");

-- CreateIndex
CREATE INDEX "OidcPayload_expiresAt_idx" ON "directory"."OidcPayload"("expiresAt");

-- CreateIndex
CREATE INDEX "OidcPayload_model_uid_idx" ON "directory"."OidcPayload"("model", "uid");

-- CreateIndex
CREATE INDEX "OidcPayload_model_userCode_idx" ON "directory"."OidcPayload"("model", "userCode");

-- CreateIndex
CREATE INDEX "OidcGrantBinding_deviceSessionId_idx" ON "directory"."OidcGrantBinding"("deviceSessionId");
