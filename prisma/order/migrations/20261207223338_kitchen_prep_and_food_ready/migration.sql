-- AlterTable
ALTER TABLE "order_status_changes" ADD COLUMN     "prepMinutes" INTEGER;

-- AlterTable
ALTER TABLE "orders" ADD COLUMN     "defaultPrepMinutes" INTEGER,
ADD COLUMN     "estimatedReadyAt" TIMESTAMPTZ(3),
ADD COLUMN     "foodReadyAt" TIMESTAMPTZ(3),
ADD COLUMN     "prepMinutes" INTEGER;
