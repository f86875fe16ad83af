-- AlterTable
ALTER TABLE "deliveries" ADD COLUMN     "expectedReadyAt" TIMESTAMPTZ(3),
ADD COLUMN     "foodReadyAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "delivery_offers" ADD COLUMN     "pickupDistanceMeters" INTEGER;
