-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "directory";

-- CreateTable
CREATE TABLE "directory"."User" (
    "id" UUID NOT NULL,
    "domain" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "email" TEXT,
    "displayName" TEXT NOT NULL DEFAULT '',
    "language" TEXT NOT NULL DEFAULT 'en',
    "admin" BOOLEAN NOT NULL DEFAULT false,
    "external" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "User_email_idx" ON "directory"."User"("email");

-- CreateIndex
CREATE UNIQUE INDEX "User_domain_username_key" ON "directory"."User"("domain", "username");
