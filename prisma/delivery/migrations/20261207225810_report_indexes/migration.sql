-- CreateIndex
CREATE INDEX "deliveries_merchantId_deliveredAt_idx" ON "deliveries"("merchantId", "deliveredAt");

-- CreateIndex
CREATE INDEX "deliveries_deliveredAt_idx" ON "deliveries"("deliveredAt");
