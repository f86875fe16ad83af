-- AlterTable
ALTER TABLE "idempotency_keys" ADD COLUMN     "reservedOrderId" UUID;

-- AlterTable
ALTER TABLE "orders" ADD COLUMN     "lastRemindedAt" TIMESTAMPTZ(3),
ADD COLUMN     "paymentDueAt" TIMESTAMPTZ(3),
ADD COLUMN     "reminderCount" INTEGER NOT NULL DEFAULT 0;
