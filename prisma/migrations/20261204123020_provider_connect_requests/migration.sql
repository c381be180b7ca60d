-- CreateTable
CREATE TABLE "ProviderConnectRequest" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "scopes" TEXT[],
    "requestedByKind" TEXT,
    "requestedById" TEXT,
    "requestedByName" TEXT,
    "stateHash" TEXT,
    "secretsCiphertext" TEXT,
    "startedAt" TIMESTAMP(3),
    "completedAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProviderConnectRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ProviderConnectRequest_stateHash_key" ON "ProviderConnectRequest"("stateHash");

-- CreateIndex
CREATE INDEX "ProviderConnectRequest_userId_createdAt_idx" ON "ProviderConnectRequest"("userId", "createdAt");

-- CreateIndex
CREATE INDEX "ProviderConnectRequest_expiresAt_idx" ON "ProviderConnectRequest"("expiresAt");

-- AddForeignKey
ALTER TABLE "ProviderConnectRequest" ADD CONSTRAINT "ProviderConnectRequest_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
