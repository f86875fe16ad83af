-- AlterTable
ALTER TABLE "merchants" ADD COLUMN     "creationInputHash" VARCHAR(64),
ADD COLUMN     "creationKey" VARCHAR(128);

-- CreateIndex
CREATE UNIQUE INDEX "merchants_creationKey_key" ON "merchants"("creationKey");
