-- CreateEnum
CREATE TYPE "StockReservationStatus" AS ENUM ('RESERVED', 'RELEASED');

-- AlterTable
ALTER TABLE "dish_daily_stocks" DROP COLUMN "remaining",
ADD COLUMN     "reserved" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "stock_reservations" (
    "orderId" UUID NOT NULL,
    "merchantId" UUID NOT NULL,
    "status" "StockReservationStatus" NOT NULL DEFAULT 'RESERVED',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "releasedAt" TIMESTAMPTZ(3),

    CONSTRAINT "stock_reservations_pkey" PRIMARY KEY ("orderId")
);

-- CreateTable
CREATE TABLE "stock_reservation_items" (
    "orderId" UUID NOT NULL,
    "dishId" UUID NOT NULL,
    "businessDate" DATE NOT NULL,
    "quantity" INTEGER NOT NULL,

    CONSTRAINT "stock_reservation_items_pkey" PRIMARY KEY ("orderId","dishId")
);

-- CreateIndex
CREATE INDEX "stock_reservations_merchantId_createdAt_idx" ON "stock_reservations"("merchantId", "createdAt");

-- CreateIndex
CREATE INDEX "stock_reservation_items_dishId_businessDate_idx" ON "stock_reservation_items"("dishId", "businessDate");

-- CreateIndex
CREATE UNIQUE INDEX "dishes_merchantId_name_key" ON "dishes"("merchantId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "set_meals_merchantId_name_key" ON "set_meals"("merchantId", "name");

-- AddForeignKey
ALTER TABLE "stock_reservation_items" ADD CONSTRAINT "stock_reservation_items_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "stock_reservations"("orderId") ON DELETE CASCADE ON UPDATE CASCADE;
