-- AlterTable
ALTER TABLE "directory"."User" ADD COLUMN     "homeScreen" TEXT NOT NULL DEFAULT '';

-- CreateTable
CREATE TABLE "directory"."Template" (
    "id" UUID NOT NULL,
    "domain" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Template_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "directory"."App" (
    "id" UUID NOT NULL,
    "domain" TEXT NOT NULL,
    "appId" TEXT NOT NULL,
    "longName" TEXT NOT NULL DEFAULT '',
    "secretEncrypted" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "hidden" BOOLEAN NOT NULL DEFAULT false,
    "plainWebsite" BOOLEAN NOT NULL DEFAULT false,
    "websocket" BOOLEAN NOT NULL DEFAULT false,
    "providedApis" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "deviceApp" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "App_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "directory"."UserAppGrant" (
    "userId" UUID NOT NULL,
    "appId" UUID NOT NULL,

    CONSTRAINT "UserAppGrant_pkey" PRIMARY KEY ("userId","appId")
);

-- CreateTable
CREATE TABLE "directory"."TemplateAppGrant" (
    "templateId" UUID NOT NULL,
    "appId" UUID NOT NULL,

    CONSTRAINT "TemplateAppGrant_pkey" PRIMARY KEY ("templateId","appId")
);

-- CreateTable
CREATE TABLE "directory"."UserTemplate" (
    "userId" UUID NOT NULL,
    "templateId" UUID NOT NULL,

    CONSTRAINT "UserTemplate_pkey" PRIMARY KEY ("userId","templateId")
);

-- CreateTable
CREATE TABLE "directory"."DeviceAssignment" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "appId" UUID NOT NULL,
    "device" TEXT NOT NULL,

    CONSTRAINT "DeviceAssignment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "directory"."ClientSettings" (
    "domain" TEXT NOT NULL,
    "settings" JSONB NOT NULL DEFAULT '{}',
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ClientSettings_pkey" PRIMARY KEY ("domain")
);

-- CreateIndex
CREATE UNIQUE INDEX "Template_domain_name_key" ON "directory"."Template"("domain", "name");

-- CreateIndex
CREATE UNIQUE INDEX "App_domain_appId_key" ON "directory"."App"("domain", "appId");

-- CreateIndex
CREATE INDEX "UserAppGrant_appId_idx" ON "directory"."UserAppGrant"("appId");

-- CreateIndex
CREATE INDEX "TemplateAppGrant_appId_idx" ON "directory"."TemplateAppGrant"("appId");

-- CreateIndex
CREATE INDEX "UserTemplate_templateId_idx" ON "directory"."UserTemplate"("templateId");

-- CreateIndex
CREATE INDEX "DeviceAssignment_appId_idx" ON "directory"."DeviceAssignment"("appId");

-- CreateIndex
CREATE UNIQUE INDEX "DeviceAssignment_userId_appId_device_key" ON "directory"."DeviceAssignment"("userId", "appId", "device");

-- AddForeignKey
ALTER TABLE "directory"."UserAppGrant" ADD CONSTRAINT "UserAppGrant_userId_fkey" FOREIGN KEY ("userId") REFERENCES "directory"."User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "directory"."UserAppGrant" ADD CONSTRAINT "UserAppGrant_appId_fkey" FOREIGN KEY ("appId") REFERENCES "directory"."App"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "directory"."TemplateAppGrant" ADD CONSTRAINT "TemplateAppGrant_templateId_fkey" FOREIGN KEY ("templateId") REFERENCES "directory"."Template"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "directory"."TemplateAppGrant" ADD CONSTRAINT "TemplateAppGrant_appId_fkey" FOREIGN KEY ("appId") REFERENCES "directory"."App"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "directory"."UserTemplate" ADD CONSTRAINT "UserTemplate_userId_fkey" FOREIGN KEY ("userId") REFERENCES "directory"."User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "directory"."UserTemplate" ADD CONSTRAINT "UserTemplate_templateId_fkey" FOREIGN KEY ("templateId") REFERENCES "directory"."Template"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "directory"."DeviceAssignment" ADD CONSTRAINT "DeviceAssignment_userId_fkey" FOREIGN KEY ("userId") REFERENCES "directory"."User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "directory"."DeviceAssignment" ADD CONSTRAINT "DeviceAssignment_appId_fkey" FOREIGN KEY ("appId") REFERENCES "directory"."App"("id") ON DELETE CASCADE ON UPDATE CASCADE;
