-- CreateEnum
CREATE TYPE "ServiceClientStatus" AS ENUM ('ACTIVE', 'DISABLED');

-- CreateTable
CREATE TABLE "ServiceClient" (
    "id" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "ownerUserId" TEXT,
    "permissions" TEXT[],
    "status" "ServiceClientStatus" NOT NULL DEFAULT 'ACTIVE',
    "secretHash" TEXT NOT NULL,
    "secretHint" TEXT NOT NULL,
    "previousSecretHash" TEXT,
    "previousSecretExpiresAt" TIMESTAMP(3),
    "rateLimitPerMinute" INTEGER NOT NULL DEFAULT 600,
    "lastUsedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ServiceClient_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ServiceAccessToken" (
    "id" TEXT NOT NULL,
    "serviceClientId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "scopes" TEXT[],
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ServiceAccessToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ServiceBlock" (
    "userId" TEXT NOT NULL,
    "serviceClientId" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ServiceBlock_pkey" PRIMARY KEY ("userId","serviceClientId","provider")
);

-- CreateIndex
CREATE UNIQUE INDEX "ServiceClient_clientId_key" ON "ServiceClient"("clientId");

-- CreateIndex
CREATE UNIQUE INDEX "ServiceClient_name_key" ON "ServiceClient"("name");

-- CreateIndex
CREATE INDEX "ServiceClient_createdAt_id_idx" ON "ServiceClient"("createdAt", "id");

-- CreateIndex
CREATE UNIQUE INDEX "ServiceAccessToken_tokenHash_key" ON "ServiceAccessToken"("tokenHash");

-- CreateIndex
CREATE INDEX "ServiceAccessToken_serviceClientId_idx" ON "ServiceAccessToken"("serviceClientId");

-- CreateIndex
CREATE INDEX "ServiceAccessToken_expiresAt_idx" ON "ServiceAccessToken"("expiresAt");

-- AddForeignKey
ALTER TABLE "ServiceAccessToken" ADD CONSTRAINT "ServiceAccessToken_serviceClientId_fkey" FOREIGN KEY ("serviceClientId") REFERENCES "ServiceClient"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServiceBlock" ADD CONSTRAINT "ServiceBlock_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServiceBlock" ADD CONSTRAINT "ServiceBlock_serviceClientId_fkey" FOREIGN KEY ("serviceClientId") REFERENCES "ServiceClient"("id") ON DELETE CASCADE ON UPDATE CASCADE;
