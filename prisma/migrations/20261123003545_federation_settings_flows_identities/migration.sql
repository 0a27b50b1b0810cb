-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "federation";

-- CreateTable
CREATE TABLE "federation"."FederationSettings" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "netlogonUrl" TEXT,
    "netlogonDomain" TEXT,
    "netlogonBindMode" TEXT NOT NULL DEFAULT 'upn',
    "netlogonSearchBase" TEXT,
    "netlogonServiceDn" TEXT,
    "netlogonServiceSecret" TEXT,
    "netlogonTimeoutMs" INTEGER NOT NULL DEFAULT 5000,
    "allowPlainLdap" BOOLEAN NOT NULL DEFAULT false,
    "oidcIssuer" TEXT,
    "oidcClientId" TEXT,
    "oidcClientSecret" TEXT,
    "oidcRedirectUri" TEXT,
    "oidcAllowedOrigins" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "oidcProviderName" TEXT NOT NULL DEFAULT '',
    "oauth2Domain" TEXT,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "FederationSettings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "federation"."OAuthFlow" (
    "stateHash" TEXT NOT NULL,
    "nonce" TEXT NOT NULL,
    "codeVerifier" TEXT NOT NULL,
    "returnTo" TEXT NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OAuthFlow_pkey" PRIMARY KEY ("stateHash")
);

-- CreateTable
CREATE TABLE "federation"."FederatedIdentity" (
    "id" UUID NOT NULL,
    "issuer" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "email" TEXT,
    "upn" TEXT,
    "userId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "FederatedIdentity_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "OAuthFlow_expiresAt_idx" ON "federation"."OAuthFlow"("expiresAt");

-- CreateIndex
CREATE INDEX "FederatedIdentity_userId_idx" ON "federation"."FederatedIdentity"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "FederatedIdentity_issuer_subject_key" ON "federation"."FederatedIdentity"("issuer", "subject");
