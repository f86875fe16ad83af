-- AlterEnum
ALTER TYPE "OfferResponse" ADD VALUE 'WITHDRAWN';

-- AlterTable
ALTER TABLE "deliveries" ADD COLUMN     "riderLatitude" DOUBLE PRECISION,
ADD COLUMN     "riderLocationAt" TIMESTAMPTZ(3),
ADD COLUMN     "riderLongitude" DOUBLE PRECISION;

-- CreateTable
CREATE TABLE "order_cancellations" (
    "orderId" UUID NOT NULL,
    "cancelledAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "order_cancellations_pkey" PRIMARY KEY ("orderId")
);
