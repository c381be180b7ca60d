-- AlterTable
ALTER TABLE "ProviderConnection" ADD COLUMN     "lastRefreshError" TEXT,
ADD COLUMN     "nextRefreshAt" TIMESTAMP(3),
ADD COLUMN     "refreshFailures" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "refreshLeaseId" TEXT,
ADD COLUMN     "refreshingUntil" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "ProviderHealth" (
    "provider" TEXT NOT NULL,
    "lastClientErrorAt" TIMESTAMP(3),
    "lastClientError" TEXT,
    "lastClientErrorLoggedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ProviderHealth_pkey" PRIMARY KEY ("provider")
);
