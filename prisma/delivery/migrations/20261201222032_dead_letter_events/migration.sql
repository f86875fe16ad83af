-- CreateTable
CREATE TABLE "dead_letter_events" (
    "eventId" UUID NOT NULL,
    "consumer" VARCHAR(64) NOT NULL,
    "type" VARCHAR(100) NOT NULL,
    "producer" VARCHAR(64) NOT NULL,
    "payload" JSONB NOT NULL,
    "problems" TEXT NOT NULL,
    "parkedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dead_letter_events_pkey" PRIMARY KEY ("consumer","eventId")
);

-- CreateIndex
CREATE INDEX "dead_letter_events_parkedAt_idx" ON "dead_letter_events"("parkedAt");
