-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "MerchantStatus" AS ENUM ('OPEN', 'CLOSED');

-- CreateEnum
CREATE TYPE "CategoryType" AS ENUM ('DISH', 'SET_MEAL');

-- CreateTable
CREATE TABLE "merchants" (
    "id" UUID NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "description" TEXT,
    "logoUrl" TEXT,
    "phone" VARCHAR(32) NOT NULL,
    "address" TEXT NOT NULL,
    "latitude" DOUBLE PRECISION NOT NULL,
    "longitude" DOUBLE PRECISION NOT NULL,
    "status" "MerchantStatus" NOT NULL DEFAULT 'CLOSED',
    "pausedUntil" TIMESTAMPTZ(3),
    "timezone" VARCHAR(64) NOT NULL DEFAULT 'Asia/Shanghai',
    "deliveryRadiusMeters" INTEGER NOT NULL,
    "minimumOrderAmount" INTEGER NOT NULL DEFAULT 0,
    "deliveryFeeAmount" INTEGER NOT NULL DEFAULT 0,
    "packingFeePerItemAmount" INTEGER NOT NULL DEFAULT 0,
    "currency" VARCHAR(3) NOT NULL DEFAULT 'CNY',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "merchants_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "business_hours" (
    "id" UUID NOT NULL,
    "merchantId" UUID NOT NULL,
    "dayOfWeek" INTEGER NOT NULL,
    "opensAtMinute" INTEGER NOT NULL,
    "closesAtMinute" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "business_hours_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "categories" (
    "id" UUID NOT NULL,
    "merchantId" UUID NOT NULL,
    "name" VARCHAR(64) NOT NULL,
    "type" "CategoryType" NOT NULL,
    "sortOrder" INTEGER NOT NULL DEFAULT 0,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "categories_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dishes" (
    "id" UUID NOT NULL,
    "merchantId" UUID NOT NULL,
    "categoryId" UUID NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "priceAmount" INTEGER NOT NULL,
    "imageUrl" TEXT,
    "description" TEXT,
    "onSale" BOOLEAN NOT NULL DEFAULT true,
    "dailyStock" INTEGER,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "dishes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dish_flavors" (
    "id" UUID NOT NULL,
    "dishId" UUID NOT NULL,
    "name" VARCHAR(32) NOT NULL,
    "options" TEXT[],
    "sortOrder" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "dish_flavors_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dish_daily_stocks" (
    "id" UUID NOT NULL,
    "dishId" UUID NOT NULL,
    "businessDate" DATE NOT NULL,
    "remaining" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "dish_daily_stocks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "set_meals" (
    "id" UUID NOT NULL,
    "merchantId" UUID NOT NULL,
    "categoryId" UUID NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "priceAmount" INTEGER NOT NULL,
    "imageUrl" TEXT,
    "description" TEXT,
    "onSale" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "set_meals_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "set_meal_items" (
    "id" UUID NOT NULL,
    "setMealId" UUID NOT NULL,
    "dishId" UUID NOT NULL,
    "merchantId" UUID NOT NULL,
    "copies" INTEGER NOT NULL DEFAULT 1,
    "sortOrder" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "set_meal_items_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "merchants_latitude_longitude_idx" ON "merchants"("latitude", "longitude");

-- CreateIndex
CREATE INDEX "merchants_status_idx" ON "merchants"("status");

-- CreateIndex
CREATE INDEX "merchants_name_idx" ON "merchants"("name");

-- CreateIndex
CREATE INDEX "merchants_createdAt_idx" ON "merchants"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "business_hours_merchantId_dayOfWeek_opensAtMinute_key" ON "business_hours"("merchantId", "dayOfWeek", "opensAtMinute");

-- CreateIndex
CREATE INDEX "categories_merchantId_type_sortOrder_idx" ON "categories"("merchantId", "type", "sortOrder");

-- CreateIndex
CREATE UNIQUE INDEX "categories_merchantId_name_key" ON "categories"("merchantId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "categories_id_merchantId_key" ON "categories"("id", "merchantId");

-- CreateIndex
CREATE INDEX "dishes_merchantId_onSale_createdAt_idx" ON "dishes"("merchantId", "onSale", "createdAt");

-- CreateIndex
CREATE INDEX "dishes_categoryId_onSale_createdAt_idx" ON "dishes"("categoryId", "onSale", "createdAt");

-- CreateIndex
CREATE INDEX "dishes_onSale_createdAt_idx" ON "dishes"("onSale", "createdAt");

-- CreateIndex
CREATE INDEX "dishes_name_idx" ON "dishes"("name");

-- CreateIndex
CREATE UNIQUE INDEX "dishes_id_merchantId_key" ON "dishes"("id", "merchantId");

-- CreateIndex
CREATE INDEX "dish_flavors_dishId_sortOrder_idx" ON "dish_flavors"("dishId", "sortOrder");

-- CreateIndex
CREATE UNIQUE INDEX "dish_flavors_dishId_name_key" ON "dish_flavors"("dishId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "dish_daily_stocks_dishId_businessDate_key" ON "dish_daily_stocks"("dishId", "businessDate");

-- CreateIndex
CREATE INDEX "set_meals_merchantId_onSale_createdAt_idx" ON "set_meals"("merchantId", "onSale", "createdAt");

-- CreateIndex
CREATE INDEX "set_meals_categoryId_onSale_createdAt_idx" ON "set_meals"("categoryId", "onSale", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "set_meals_id_merchantId_key" ON "set_meals"("id", "merchantId");

-- CreateIndex
CREATE INDEX "set_meal_items_dishId_merchantId_idx" ON "set_meal_items"("dishId", "merchantId");

-- CreateIndex
CREATE UNIQUE INDEX "set_meal_items_setMealId_dishId_key" ON "set_meal_items"("setMealId", "dishId");

-- AddForeignKey
ALTER TABLE "business_hours" ADD CONSTRAINT "business_hours_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "merchants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "categories" ADD CONSTRAINT "categories_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "merchants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dishes" ADD CONSTRAINT "dishes_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "merchants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dishes" ADD CONSTRAINT "dishes_categoryId_merchantId_fkey" FOREIGN KEY ("categoryId", "merchantId") REFERENCES "categories"("id", "merchantId") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dish_flavors" ADD CONSTRAINT "dish_flavors_dishId_fkey" FOREIGN KEY ("dishId") REFERENCES "dishes"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dish_daily_stocks" ADD CONSTRAINT "dish_daily_stocks_dishId_fkey" FOREIGN KEY ("dishId") REFERENCES "dishes"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "set_meals" ADD CONSTRAINT "set_meals_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "merchants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "set_meals" ADD CONSTRAINT "set_meals_categoryId_merchantId_fkey" FOREIGN KEY ("categoryId", "merchantId") REFERENCES "categories"("id", "merchantId") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "set_meal_items" ADD CONSTRAINT "set_meal_items_setMealId_merchantId_fkey" FOREIGN KEY ("setMealId", "merchantId") REFERENCES "set_meals"("id", "merchantId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "set_meal_items" ADD CONSTRAINT "set_meal_items_dishId_merchantId_fkey" FOREIGN KEY ("dishId", "merchantId") REFERENCES "dishes"("id", "merchantId") ON DELETE RESTRICT ON UPDATE CASCADE;
