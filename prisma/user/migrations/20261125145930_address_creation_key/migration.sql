-- AlterTable
ALTER TABLE "addresses" ADD COLUMN     "creationInputHash" VARCHAR(64),
ADD COLUMN     "creationKey" VARCHAR(128);

-- CreateIndex
CREATE UNIQUE INDEX "addresses_userId_creationKey_key" ON "addresses"("userId", "creationKey");
