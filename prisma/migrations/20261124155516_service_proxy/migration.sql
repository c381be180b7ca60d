-- AlterTable
ALTER TABLE "ServiceClient" ADD COLUMN     "proxyAllow" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "ServiceProxyUsage" (
    "serviceClientId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "minute" TIMESTAMP(3) NOT NULL,
    "calls" INTEGER NOT NULL DEFAULT 0,
    "failedCalls" INTEGER NOT NULL DEFAULT 0,
    "lastAt" TIMESTAMP(3) NOT NULL,
    "lastPurpose" TEXT,

    CONSTRAINT "ServiceProxyUsage_pkey" PRIMARY KEY ("serviceClientId","userId","provider","minute")
);

-- CreateTable
CREATE TABLE "ServiceProxyDay" (
    "serviceClientId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "day" DATE NOT NULL,

    CONSTRAINT "ServiceProxyDay_pkey" PRIMARY KEY ("serviceClientId","userId","day")
);

-- CreateIndex
CREATE INDEX "ServiceProxyUsage_userId_minute_idx" ON "ServiceProxyUsage"("userId", "minute");

-- AddForeignKey
ALTER TABLE "ServiceProxyUsage" ADD CONSTRAINT "ServiceProxyUsage_serviceClientId_fkey" FOREIGN KEY ("serviceClientId") REFERENCES "ServiceClient"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServiceProxyUsage" ADD CONSTRAINT "ServiceProxyUsage_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServiceProxyDay" ADD CONSTRAINT "ServiceProxyDay_serviceClientId_fkey" FOREIGN KEY ("serviceClientId") REFERENCES "ServiceClient"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServiceProxyDay" ADD CONSTRAINT "ServiceProxyDay_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
