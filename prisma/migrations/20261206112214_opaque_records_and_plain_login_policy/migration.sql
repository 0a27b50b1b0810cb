-- AlterTable
ALTER TABLE "auth"."settings" ADD COLUMN     "pbxPlainLogin" BOOLEAN NOT NULL DEFAULT true;

-- CreateTable
CREATE TABLE "auth"."opaque_record" (
    "userId" UUID NOT NULL,
    "record" TEXT NOT NULL,
    "keyStretching" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "opaque_record_pkey" PRIMARY KEY ("userId")
);

-- CreateTable
CREATE TABLE "auth"."opaque_server_setup" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "setup" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "opaque_server_setup_pkey" PRIMARY KEY ("id")
);
