-- (No semicolons in these comments: the migration runner took one for the end of a statement.)
-- Issue 22, RFC 8628 device authorization grant: a device (a CLI) polls the token endpoint with its device
-- code while the person enters the user code at /device. Only HMACs of both codes are stored. Rows go with
-- their application, and with the grant an approval linked them to.
CREATE TABLE "OAuthDeviceAuthorization" (
    "id" TEXT NOT NULL,
    "applicationId" TEXT NOT NULL,
    "deviceCodeHash" TEXT NOT NULL,
    "userCodeHash" TEXT NOT NULL,
    "scopes" TEXT[],
    "interval" INTEGER NOT NULL,
    "lastPolledAt" TIMESTAMP(3),
    "grantId" TEXT,
    "approvedAt" TIMESTAMP(3),
    "deniedAt" TIMESTAMP(3),
    "usedAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OAuthDeviceAuthorization_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "OAuthDeviceAuthorization_deviceCodeHash_key" ON "OAuthDeviceAuthorization"("deviceCodeHash");

CREATE UNIQUE INDEX "OAuthDeviceAuthorization_userCodeHash_key" ON "OAuthDeviceAuthorization"("userCodeHash");

CREATE INDEX "OAuthDeviceAuthorization_applicationId_idx" ON "OAuthDeviceAuthorization"("applicationId");

CREATE INDEX "OAuthDeviceAuthorization_grantId_idx" ON "OAuthDeviceAuthorization"("grantId");

CREATE INDEX "OAuthDeviceAuthorization_expiresAt_idx" ON "OAuthDeviceAuthorization"("expiresAt");

ALTER TABLE "OAuthDeviceAuthorization" ADD CONSTRAINT "OAuthDeviceAuthorization_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "OAuthApplication"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "OAuthDeviceAuthorization" ADD CONSTRAINT "OAuthDeviceAuthorization_grantId_fkey" FOREIGN KEY ("grantId") REFERENCES "OAuthGrant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
