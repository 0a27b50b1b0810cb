-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "mailer";

-- CreateTable
CREATE TABLE "mailer"."SmtpAccount" (
    "domain" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "port" INTEGER NOT NULL,
    "secure" BOOLEAN NOT NULL,
    "clientHostName" TEXT NOT NULL,
    "senderName" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "username" TEXT,
    "passwordEncrypted" TEXT,
    "verificationLink" TEXT NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SmtpAccount_pkey" PRIMARY KEY ("domain")
);

-- CreateTable
CREATE TABLE "mailer"."MailLog" (
    "idempotencyKey" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "smtpResponse" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "sentAt" TIMESTAMPTZ(3),

    CONSTRAINT "MailLog_pkey" PRIMARY KEY ("idempotencyKey")
);

-- CreateIndex
CREATE INDEX "MailLog_status_idx" ON "mailer"."MailLog"("status");
