-- CreateEnum
CREATE TYPE "PaymentFailureOutcome" AS ENUM ('DECLINED', 'FAILED');

-- CreateEnum
CREATE TYPE "RefundRequestStatus" AS ENUM ('PENDING', 'APPROVED', 'REJECTED', 'REFUNDED');

-- AlterEnum
ALTER TYPE "PayStatus" ADD VALUE 'PARTIALLY_REFUNDED' BEFORE 'REFUNDED';

-- AlterTable
ALTER TABLE "orders" ADD COLUMN     "openRefundRequestId" UUID,
ADD COLUMN     "paymentFailedAt" TIMESTAMPTZ(3),
ADD COLUMN     "paymentFailureOutcome" "PaymentFailureOutcome",
ADD COLUMN     "paymentFailureReason" TEXT,
ADD COLUMN     "refundedAmount" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "refund_requests" (
    "id" UUID NOT NULL,
    "orderId" UUID NOT NULL,
    "customerId" UUID NOT NULL,
    "merchantId" UUID NOT NULL,
    "status" "RefundRequestStatus" NOT NULL DEFAULT 'PENDING',
    "amount" INTEGER NOT NULL,
    "currency" VARCHAR(3) NOT NULL DEFAULT 'CNY',
    "reason" TEXT NOT NULL,
    "photoUrl" TEXT,
    "idempotencyKey" VARCHAR(255) NOT NULL,
    "requestHash" VARCHAR(128) NOT NULL,
    "decidedBy" "OrderActor",
    "decidedByUserId" UUID,
    "decisionReason" TEXT,
    "decidedAt" TIMESTAMPTZ(3),
    "refundId" UUID,
    "refundedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "refund_requests_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "refund_request_items" (
    "id" UUID NOT NULL,
    "refundRequestId" UUID NOT NULL,
    "orderItemId" UUID NOT NULL,
    "quantity" INTEGER NOT NULL,
    "amount" INTEGER NOT NULL,

    CONSTRAINT "refund_request_items_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "refund_requests_orderId_createdAt_idx" ON "refund_requests"("orderId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "refund_requests_customerId_idempotencyKey_key" ON "refund_requests"("customerId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "refund_request_items_refundRequestId_idx" ON "refund_request_items"("refundRequestId");

-- CreateIndex
CREATE INDEX "refund_request_items_orderItemId_idx" ON "refund_request_items"("orderItemId");

-- CreateIndex
CREATE UNIQUE INDEX "orders_openRefundRequestId_key" ON "orders"("openRefundRequestId");

-- AddForeignKey
ALTER TABLE "refund_requests" ADD CONSTRAINT "refund_requests_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "orders"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "refund_request_items" ADD CONSTRAINT "refund_request_items_refundRequestId_fkey" FOREIGN KEY ("refundRequestId") REFERENCES "refund_requests"("id") ON DELETE CASCADE ON UPDATE CASCADE;
