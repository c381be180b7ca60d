-- (No semicolons in these comments: the migration runner took one for the end of a statement.)
-- Issue 22, race-safe refresh: a used refresh token keeps the response it was traded for, sealed with the
-- token keyring, until "replayUntil" (TESSERA_REFRESH_REUSE_WINDOW_SECONDS after its use). The same client
-- presenting it again within that window gets the same pair instead of revoking the family. Both columns are
-- null outside the window, and existing rows start without one.
ALTER TABLE "OAuthRefreshToken" ADD COLUMN     "replayCiphertext" TEXT,
ADD COLUMN     "replayUntil" TIMESTAMP(3);
