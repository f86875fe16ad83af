-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "OrderStatus" AS ENUM ('PENDING_PAYMENT', 'TO_BE_CONFIRMED', 'CONFIRMED', 'DELIVERY_IN_PROGRESS', 'COMPLETED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "PayStatus" AS ENUM ('UNPAID', 'PAID', 'REFUNDED');

-- CreateEnum
CREATE TYPE "OrderActor" AS ENUM ('CUSTOMER', 'MERCHANT', 'SYSTEM', 'ADMIN', 'RIDER');

-- CreateTable
CREATE TABLE "carts" (
    "id" UUID NOT NULL,
    "customerId" UUID NOT NULL,
    "merchantId" UUID NOT NULL,
    "currency" VARCHAR(3) NOT NULL DEFAULT 'CNY',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "carts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cart_items" (
    "id" UUID NOT NULL,
    "cartId" UUID NOT NULL,
    "dishId" UUID,
    "setMealId" UUID,
    "flavor" TEXT,
    "lineKey" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "unitPriceAmount" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "imageUrl" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "cart_items_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "orders" (
    "id" UUID NOT NULL,
    "orderNumber" VARCHAR(32) NOT NULL,
    "status" "OrderStatus" NOT NULL DEFAULT 'PENDING_PAYMENT',
    "payStatus" "PayStatus" NOT NULL DEFAULT 'UNPAID',
    "customerId" UUID NOT NULL,
    "merchantId" UUID NOT NULL,
    "currency" VARCHAR(3) NOT NULL DEFAULT 'CNY',
    "itemsTotalAmount" INTEGER NOT NULL,
    "packingFeeAmount" INTEGER NOT NULL,
    "deliveryFeeAmount" INTEGER NOT NULL,
    "totalAmount" INTEGER NOT NULL,
    "remark" TEXT,
    "tablewareCount" INTEGER,
    "deliverAsSoonAsPossible" BOOLEAN NOT NULL DEFAULT true,
    "scheduledDeliveryAt" TIMESTAMPTZ(3),
    "estimatedDeliveryAt" TIMESTAMPTZ(3),
    "addressContactName" TEXT NOT NULL,
    "addressPhone" VARCHAR(32) NOT NULL,
    "addressDetail" TEXT NOT NULL,
    "addressLabel" TEXT,
    "addressLatitude" DOUBLE PRECISION NOT NULL,
    "addressLongitude" DOUBLE PRECISION NOT NULL,
    "cancelReason" TEXT,
    "rejectionReason" TEXT,
    "cancelledBy" "OrderActor",
    "version" INTEGER NOT NULL DEFAULT 1,
    "placedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "paidAt" TIMESTAMPTZ(3),
    "confirmedAt" TIMESTAMPTZ(3),
    "pickedUpAt" TIMESTAMPTZ(3),
    "completedAt" TIMESTAMPTZ(3),
    "cancelledAt" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "orders_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "order_items" (
    "id" UUID NOT NULL,
    "orderId" UUID NOT NULL,
    "dishId" UUID,
    "setMealId" UUID,
    "name" TEXT NOT NULL,
    "imageUrl" TEXT,
    "flavor" TEXT,
    "quantity" INTEGER NOT NULL,
    "unitPriceAmount" INTEGER NOT NULL,
    "lineTotalAmount" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "order_items_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "order_status_changes" (
    "id" UUID NOT NULL,
    "orderId" UUID NOT NULL,
    "fromStatus" "OrderStatus",
    "toStatus" "OrderStatus" NOT NULL,
    "actor" "OrderActor" NOT NULL,
    "actorUserId" UUID,
    "reason" TEXT,
    "version" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "order_status_changes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "idempotency_keys" (
    "id" UUID NOT NULL,
    "customerId" UUID NOT NULL,
    "key" VARCHAR(255) NOT NULL,
    "requestHash" TEXT NOT NULL,
    "orderId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbox_events" (
    "id" UUID NOT NULL,
    "aggregateType" TEXT NOT NULL,
    "aggregateId" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "publishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "outbox_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "processed_events" (
    "eventId" UUID NOT NULL,
    "consumer" TEXT NOT NULL,
    "processedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "processed_events_pkey" PRIMARY KEY ("eventId")
);

-- CreateTable
CREATE TABLE "scheduled_jobs" (
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "dueAt" TIMESTAMPTZ(3) NOT NULL,
    "payload" JSONB NOT NULL,
    "lockedUntil" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "scheduled_jobs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "carts_customerId_updatedAt_idx" ON "carts"("customerId", "updatedAt");

-- CreateIndex
CREATE INDEX "carts_merchantId_idx" ON "carts"("merchantId");

-- CreateIndex
CREATE UNIQUE INDEX "carts_customerId_merchantId_key" ON "carts"("customerId", "merchantId");

-- CreateIndex
CREATE INDEX "cart_items_dishId_idx" ON "cart_items"("dishId");

-- CreateIndex
CREATE INDEX "cart_items_setMealId_idx" ON "cart_items"("setMealId");

-- CreateIndex
CREATE UNIQUE INDEX "cart_items_cartId_lineKey_key" ON "cart_items"("cartId", "lineKey");

-- CreateIndex
CREATE UNIQUE INDEX "orders_orderNumber_key" ON "orders"("orderNumber");

-- CreateIndex
CREATE INDEX "orders_customerId_placedAt_idx" ON "orders"("customerId", "placedAt");

-- CreateIndex
CREATE INDEX "orders_customerId_status_placedAt_idx" ON "orders"("customerId", "status", "placedAt");

-- CreateIndex
CREATE INDEX "orders_merchantId_status_placedAt_idx" ON "orders"("merchantId", "status", "placedAt");

-- CreateIndex
CREATE INDEX "orders_merchantId_placedAt_idx" ON "orders"("merchantId", "placedAt");

-- CreateIndex
CREATE INDEX "order_items_orderId_idx" ON "order_items"("orderId");

-- CreateIndex
CREATE INDEX "order_items_dishId_idx" ON "order_items"("dishId");

-- CreateIndex
CREATE INDEX "order_items_setMealId_idx" ON "order_items"("setMealId");

-- CreateIndex
CREATE UNIQUE INDEX "order_status_changes_orderId_version_key" ON "order_status_changes"("orderId", "version");

-- CreateIndex
CREATE INDEX "idempotency_keys_orderId_idx" ON "idempotency_keys"("orderId");

-- CreateIndex
CREATE UNIQUE INDEX "idempotency_keys_customerId_key_key" ON "idempotency_keys"("customerId", "key");

-- CreateIndex
CREATE INDEX "outbox_events_publishedAt_createdAt_idx" ON "outbox_events"("publishedAt", "createdAt");

-- CreateIndex
CREATE INDEX "scheduled_jobs_dueAt_idx" ON "scheduled_jobs"("dueAt");

-- AddForeignKey
ALTER TABLE "cart_items" ADD CONSTRAINT "cart_items_cartId_fkey" FOREIGN KEY ("cartId") REFERENCES "carts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "order_items" ADD CONSTRAINT "order_items_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "orders"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "order_status_changes" ADD CONSTRAINT "order_status_changes_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "orders"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "orders"("id") ON DELETE CASCADE ON UPDATE CASCADE;
