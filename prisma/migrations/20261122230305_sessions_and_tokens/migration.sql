-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "sessions";

-- CreateTable
CREATE TABLE "sessions"."Session" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "domain" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "admin" BOOLEAN NOT NULL,
    "external" BOOLEAN NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "deviceName" TEXT NOT NULL,
    "devicePlatform" TEXT NOT NULL,
    "application" TEXT NOT NULL,
    "subid" TEXT,
    "ip" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "lastUsedAt" TIMESTAMPTZ(3) NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sessions"."AccessToken" (
    "tokenHash" TEXT NOT NULL,
    "sessionId" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "AccessToken_pkey" PRIMARY KEY ("tokenHash")
);

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "sessions"."Session"("userId");

-- CreateIndex
CREATE INDEX "Session_expiresAt_idx" ON "sessions"."Session"("expiresAt");

-- CreateIndex
CREATE INDEX "AccessToken_sessionId_idx" ON "sessions"."AccessToken"("sessionId");

-- CreateIndex
CREATE INDEX "AccessToken_expiresAt_idx" ON "sessions"."AccessToken"("expiresAt");

-- AddForeignKey
ALTER TABLE "sessions"."AccessToken" ADD CONSTRAINT "AccessToken_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "sessions"."Session"("id") ON DELETE CASCADE ON UPDATE CASCADE;
