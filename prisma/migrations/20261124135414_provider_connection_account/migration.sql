-- AlterTable
ALTER TABLE "ProviderConnection" ADD COLUMN     "providerAccountId" TEXT;
