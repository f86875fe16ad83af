-- DropIndex
DROP INDEX "outbox_events_publishedAt_createdAt_idx";

-- AlterTable
ALTER TABLE "outbox_events" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "deliveredAt" TIMESTAMPTZ(3),
ADD COLUMN     "pendingConsumers" TEXT[],
ALTER COLUMN "aggregateType" SET DATA TYPE VARCHAR(64),
ALTER COLUMN "type" SET DATA TYPE VARCHAR(128);

-- AlterTable
ALTER TABLE "processed_events" DROP CONSTRAINT "processed_events_pkey",
ALTER COLUMN "consumer" SET DATA TYPE VARCHAR(64),
ADD CONSTRAINT "processed_events_pkey" PRIMARY KEY ("consumer", "eventId");

-- AlterTable
ALTER TABLE "scheduled_jobs" ADD COLUMN     "key" VARCHAR(200) NOT NULL,
ALTER COLUMN "kind" SET DATA TYPE VARCHAR(64);

-- CreateIndex
CREATE INDEX "outbox_events_deliveredAt_publishedAt_idx" ON "outbox_events"("deliveredAt", "publishedAt");

-- CreateIndex
CREATE INDEX "outbox_events_aggregateType_aggregateId_idx" ON "outbox_events"("aggregateType", "aggregateId");

-- CreateIndex
CREATE INDEX "processed_events_processedAt_idx" ON "processed_events"("processedAt");

-- CreateIndex
CREATE UNIQUE INDEX "scheduled_jobs_key_key" ON "scheduled_jobs"("key");
