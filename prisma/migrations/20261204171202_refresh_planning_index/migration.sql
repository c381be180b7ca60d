-- CreateIndex
CREATE INDEX "ProviderConnection_accessTokenExpiresAt_id_idx" ON "ProviderConnection"("accessTokenExpiresAt", "id");
