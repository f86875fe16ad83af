-- AlterEnum
-- BEFORE 'RIDER': the position schema.prisma gives it (enum order is part of the type).
ALTER TYPE "Role" ADD VALUE 'MERCHANT_MANAGER' BEFORE 'RIDER';

-- DropIndex
DROP INDEX "users_merchantId_idx";

-- AlterTable
ALTER TABLE "users" ADD COLUMN     "disabledAt" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "users_merchantId_createdAt_id_idx" ON "users"("merchantId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "users_createdAt_id_idx" ON "users"("createdAt", "id");
