-- (No semicolons in these comments: the migration runner takes one for the end of a statement.)
-- Issue 22, clients nobody registered by hand: RFC 7591 dynamic registration and client id metadata
-- documents. Such a client has no owner, so "ownerUserId" becomes nullable, and "registration" says how
-- each client came to exist (every existing row was registered by a person: MANUAL). A metadata
-- document client keeps when its document was fetched and until when that copy may be used.
CREATE TYPE "OAuthClientRegistration" AS ENUM ('MANUAL', 'DYNAMIC', 'METADATA_DOCUMENT');

CREATE TYPE "ClientRegistrationPolicy" AS ENUM ('OPEN', 'ADMINS_ONLY', 'OFF');

ALTER TABLE "OAuthApplication" ALTER COLUMN "ownerUserId" DROP NOT NULL,
ADD COLUMN     "registration" "OAuthClientRegistration" NOT NULL DEFAULT 'MANUAL',
ADD COLUMN     "metadataFetchedAt" TIMESTAMP(3),
ADD COLUMN     "metadataExpiresAt" TIMESTAMP(3);

-- Instance-wide settings an admin changes at run time: at most one row ("instance"), absent means defaults.
CREATE TABLE "InstanceSettings" (
    "id" TEXT NOT NULL DEFAULT 'instance',
    "clientRegistrationPolicy" "ClientRegistrationPolicy" NOT NULL DEFAULT 'OPEN',
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedByUserId" TEXT,

    CONSTRAINT "InstanceSettings_pkey" PRIMARY KEY ("id")
);
