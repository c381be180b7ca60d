-- CreateIndex
CREATE INDEX "Session_expires_idx" ON "Session"("expires");

-- Session.sessionToken now holds the SHA-256 (hex) of the cookie value, never the value itself.
-- Existing rows are converted in place, so nobody is signed out by this migration.
UPDATE "Session" SET "sessionToken" = encode(sha256(convert_to("sessionToken", 'UTF8')), 'hex');

-- Sessions now end at most 90 days after sign-in, however active.
UPDATE "Session" SET "expires" = "createdAt" + interval '90 days' WHERE "expires" > "createdAt" + interval '90 days';
DELETE FROM "Session" WHERE "expires" <= (now() AT TIME ZONE 'UTC');
