-- AlterTable
ALTER TABLE "auth"."audit" ADD COLUMN     "domain" TEXT;

-- CreateTable
CREATE TABLE "auth"."audit_settings" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "retentionDays" INTEGER NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "audit_settings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "auth"."webhook_endpoint" (
    "id" UUID NOT NULL,
    "domain" TEXT,
    "url" TEXT NOT NULL,
    "secretSealed" TEXT NOT NULL,
    "eventTypes" TEXT[],
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "webhook_endpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "auth"."webhook_delivery" (
    "id" UUID NOT NULL,
    "endpointId" UUID NOT NULL,
    "auditId" UUID NOT NULL,
    "eventType" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastStatus" INTEGER,
    "lastError" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "deliveredAt" TIMESTAMPTZ(3),

    CONSTRAINT "webhook_delivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "webhook_endpoint_domain_idx" ON "auth"."webhook_endpoint"("domain");

-- CreateIndex
CREATE INDEX "webhook_delivery_endpointId_createdAt_idx" ON "auth"."webhook_delivery"("endpointId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "webhook_delivery_endpointId_auditId_key" ON "auth"."webhook_delivery"("endpointId", "auditId");

-- CreateIndex
CREATE INDEX "audit_domain_createdAt_idx" ON "auth"."audit"("domain", "createdAt");

-- CreateIndex
CREATE INDEX "audit_createdAt_idx" ON "auth"."audit"("createdAt");
