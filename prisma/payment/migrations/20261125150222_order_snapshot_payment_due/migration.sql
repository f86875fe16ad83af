-- AlterTable
ALTER TABLE "order_snapshots" ADD COLUMN     "paymentDueAt" TIMESTAMPTZ(3);
