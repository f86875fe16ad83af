-- DropIndex
DROP INDEX "outbox_events_publishedAt_idx";

-- AlterTable
ALTER TABLE "outbox_events" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "deliveredAt" TIMESTAMPTZ(3),
ADD COLUMN     "pendingConsumers" TEXT[];

-- AlterTable
ALTER TABLE "processed_events" DROP CONSTRAINT "processed_events_pkey",
ALTER COLUMN "consumer" SET DATA TYPE VARCHAR(64),
ADD CONSTRAINT "processed_events_pkey" PRIMARY KEY ("consumer", "eventId");

-- AlterTable
ALTER TABLE "scheduled_jobs" ADD COLUMN     "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "key" VARCHAR(200) NOT NULL,
ADD COLUMN     "lastError" TEXT;

-- CreateIndex
CREATE INDEX "outbox_events_deliveredAt_publishedAt_idx" ON "outbox_events"("deliveredAt", "publishedAt");

-- CreateIndex
CREATE UNIQUE INDEX "scheduled_jobs_key_key" ON "scheduled_jobs"("key");
