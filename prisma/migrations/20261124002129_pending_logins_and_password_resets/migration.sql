-- CreateTable
CREATE TABLE "auth"."pending_login" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "securityCode" TEXT NOT NULL,
    "pollTokenHash" TEXT NOT NULL,
    "emailTokenHash" TEXT,
    "emailTokenUsed" BOOLEAN NOT NULL DEFAULT false,
    "mode" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "device" JSONB NOT NULL,
    "application" TEXT NOT NULL,
    "subid" TEXT,
    "ip" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "wrongCodes" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "decidedAt" TIMESTAMPTZ(3),

    CONSTRAINT "pending_login_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "auth"."password_reset" (
    "tokenHash" TEXT NOT NULL,
    "userId" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "usedAt" TIMESTAMPTZ(3),

    CONSTRAINT "password_reset_pkey" PRIMARY KEY ("tokenHash")
);

-- CreateIndex
CREATE UNIQUE INDEX "pending_login_emailTokenHash_key" ON "auth"."pending_login"("emailTokenHash");

-- CreateIndex
CREATE INDEX "pending_login_userId_status_idx" ON "auth"."pending_login"("userId", "status");

-- CreateIndex
CREATE INDEX "pending_login_expiresAt_idx" ON "auth"."pending_login"("expiresAt");

-- CreateIndex
CREATE INDEX "password_reset_userId_idx" ON "auth"."password_reset"("userId");

-- CreateIndex
CREATE INDEX "password_reset_expiresAt_idx" ON "auth"."password_reset"("expiresAt");
