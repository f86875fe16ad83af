-- CreateIndex
CREATE INDEX "orders_placedAt_idx" ON "orders"("placedAt");
