-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "ConnectionStatus" ADD VALUE 'REVOCATION_PENDING';
ALTER TYPE "ConnectionStatus" ADD VALUE 'REVOCATION_FAILED';

-- AlterTable
ALTER TABLE "ProviderConnection" ADD COLUMN     "revocationAttempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "revocationError" TEXT,
ADD COLUMN     "revocationPendingAt" TIMESTAMP(3);
