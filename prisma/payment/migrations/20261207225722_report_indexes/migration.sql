-- CreateIndex
CREATE INDEX "refunds_status_completedAt_idx" ON "refunds"("status", "completedAt");
