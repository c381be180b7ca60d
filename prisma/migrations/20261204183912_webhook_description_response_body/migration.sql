-- AlterTable
ALTER TABLE "WebhookAttempt" ADD COLUMN     "responseBody" TEXT;

-- AlterTable
ALTER TABLE "WebhookEndpoint" ADD COLUMN     "description" TEXT;
