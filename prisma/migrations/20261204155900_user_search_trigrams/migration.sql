-- Issue 26: the admin search (ILIKE %q%) uses trigram indexes at a million users. pg_trgm is a trusted extension
-- (PostgreSQL 13+): the database owner may create it. The embedded database loads it (lib/db/embedded-postgres.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- CreateIndex
CREATE INDEX "User_email_trgm_idx" ON "User" USING GIN ("email" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "User_name_trgm_idx" ON "User" USING GIN ("name" gin_trgm_ops);
