-- AlterTable
ALTER TABLE "PersonalAccessToken" ADD COLUMN     "familyId" TEXT,
ADD COLUMN     "recentClients" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "replacedById" TEXT,
ADD COLUMN     "revokedReason" TEXT,
ADD COLUMN     "rotatedAt" TIMESTAMP(3);

-- CreateIndex
CREATE UNIQUE INDEX "PersonalAccessToken_replacedById_key" ON "PersonalAccessToken"("replacedById");

-- CreateIndex
CREATE INDEX "PersonalAccessToken_familyId_idx" ON "PersonalAccessToken"("familyId");
