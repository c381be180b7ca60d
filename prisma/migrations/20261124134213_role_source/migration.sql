-- CreateEnum
CREATE TYPE "RoleSource" AS ENUM ('ADMIN_EMAILS', 'MANUAL');

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "roleSource" "RoleSource";

-- Carry the old flag over: roles ADMIN_EMAILS gave stay its to take back, every other admin was promoted by
-- hand. (A user demoted by hand before this migration is indistinguishable from one never promoted.)
UPDATE "User" SET "roleSource" = 'ADMIN_EMAILS' WHERE "roleFromAdminEmails" = true;
UPDATE "User" SET "roleSource" = 'MANUAL' WHERE "roleFromAdminEmails" = false AND "role" = 'ADMIN';

-- AlterTable
ALTER TABLE "User" DROP COLUMN "roleFromAdminEmails";
