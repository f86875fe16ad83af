-- AlterTable
ALTER TABLE "orders" ADD COLUMN     "deliveryWaitingSince" TIMESTAMPTZ(3),
ADD COLUMN     "pickupLatitude" DOUBLE PRECISION,
ADD COLUMN     "pickupLongitude" DOUBLE PRECISION,
ADD COLUMN     "riderChangedAt" TIMESTAMPTZ(3),
ADD COLUMN     "riderId" UUID,
ADD COLUMN     "riderUserId" UUID;
