-- CreateEnum
CREATE TYPE "ImagePurpose" AS ENUM ('DISH_IMAGE', 'SET_MEAL_IMAGE', 'MERCHANT_LOGO');

-- CreateEnum
CREATE TYPE "ImageUploadStatus" AS ENUM ('PENDING', 'COMPLETE', 'REJECTED');

-- AlterTable
ALTER TABLE "dishes" ADD COLUMN     "imageKey" VARCHAR(200),
ADD COLUMN     "thumbnailKey" VARCHAR(200);

-- AlterTable
ALTER TABLE "merchants" ADD COLUMN     "logoKey" VARCHAR(200),
ADD COLUMN     "logoThumbnailKey" VARCHAR(200);

-- AlterTable
ALTER TABLE "set_meals" ADD COLUMN     "imageKey" VARCHAR(200),
ADD COLUMN     "thumbnailKey" VARCHAR(200);

-- CreateTable
CREATE TABLE "image_uploads" (
    "id" UUID NOT NULL,
    "merchantId" UUID NOT NULL,
    "purpose" "ImagePurpose" NOT NULL,
    "contentType" VARCHAR(32) NOT NULL,
    "maxByteSize" INTEGER NOT NULL,
    "tokenHash" VARCHAR(64) NOT NULL,
    "status" "ImageUploadStatus" NOT NULL DEFAULT 'PENDING',
    "rejectedCode" VARCHAR(40),
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "receivedAt" TIMESTAMPTZ(3),
    "imageKey" VARCHAR(200),
    "thumbnailKey" VARCHAR(200),
    "width" INTEGER,
    "height" INTEGER,
    "thumbnailWidth" INTEGER,
    "thumbnailHeight" INTEGER,
    "createdById" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMPTZ(3),

    CONSTRAINT "image_uploads_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "image_uploads_merchantId_createdAt_idx" ON "image_uploads"("merchantId", "createdAt");

-- AddForeignKey
ALTER TABLE "image_uploads" ADD CONSTRAINT "image_uploads_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "merchants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
