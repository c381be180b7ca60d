-- (No semicolons in these comments: the migration runner took one for the end of a statement.)
-- Issue 22, default scopes (RFC 6749 section 3.3): what an authorization request without scope asks for.
-- Existing applications get profile:read, the default for an application that chose none.
ALTER TABLE "OAuthApplication" ADD COLUMN     "defaultScopes" TEXT[] DEFAULT ARRAY['profile:read']::TEXT[];

-- Issue 22, resource indicators (RFC 8707): every code and token names the one protected resource it is for,
-- by its path under the issuer. Every existing row was issued for the API, so that is their value.
ALTER TABLE "OAuthAuthorizationCode" ADD COLUMN     "audience" TEXT NOT NULL DEFAULT '/api/v1';
ALTER TABLE "OAuthAccessToken" ADD COLUMN     "audience" TEXT NOT NULL DEFAULT '/api/v1';
ALTER TABLE "OAuthRefreshToken" ADD COLUMN     "audience" TEXT NOT NULL DEFAULT '/api/v1';
