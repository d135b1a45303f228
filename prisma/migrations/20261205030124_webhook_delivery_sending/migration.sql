-- AlterTable
ALTER TABLE "WebhookDelivery" ADD COLUMN     "sendingUntil" TIMESTAMPTZ(3);
