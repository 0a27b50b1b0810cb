-- CreateTable
CREATE TABLE "auth"."settings" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "type" TEXT NOT NULL,
    "twoFactor" BOOLEAN NOT NULL,
    "approvalMode" TEXT NOT NULL,
    "pendingTtlSeconds" INTEGER NOT NULL,
    "allowLoginWithoutApprovalPath" BOOLEAN NOT NULL,
    "federatedTwoFactorNetlogon" BOOLEAN NOT NULL,
    "federatedTwoFactorOauth2" BOOLEAN NOT NULL,
    "passwordReset" BOOLEAN NOT NULL,
    "passwordResetTtlSeconds" INTEGER NOT NULL,
    "newDeviceNotice" BOOLEAN NOT NULL,
    "minPasswordLength" INTEGER,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "settings_pkey" PRIMARY KEY ("id")
);
