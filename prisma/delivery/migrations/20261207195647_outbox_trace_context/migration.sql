-- AlterTable
ALTER TABLE "outbox_events" ADD COLUMN     "traceContext" JSONB;
