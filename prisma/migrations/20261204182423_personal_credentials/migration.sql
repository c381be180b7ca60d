-- AlterTable
ALTER TABLE "PersonalAccessToken" ADD COLUMN     "description" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "authenticatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "lastSeenAt" TIMESTAMP(3),
ADD COLUMN     "lastSeenIp" TEXT,
ADD COLUMN     "userAgent" TEXT;

-- Sessions that existed before this column: their sign-in is when they were created (not "just now").
UPDATE "Session" SET "authenticatedAt" = "createdAt";
