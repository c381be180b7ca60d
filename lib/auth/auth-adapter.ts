import { PrismaAdapter } from "@auth/prisma-adapter";
import type { Adapter, AdapterAccount } from "next-auth/adapters";
import type { Db } from "@/lib/db/client";

/**
 * @auth/prisma-adapter typed against Tessera's generated client (its own types import
 * `@prisma/client`, which the Prisma 7 generator leaves empty, so its parameter is `any`).
 * The Account row keeps only the login link: the provider's tokens are stored encrypted by
 * events.signIn through the ProviderTokenStore, never in plaintext here.
 */
export function createAuthAdapter(db: Db): Adapter {
  const base = PrismaAdapter(db as unknown as Parameters<typeof PrismaAdapter>[0]);
  return {
    ...base,
    linkAccount: (account: AdapterAccount) =>
      base.linkAccount!({ ...account, access_token: undefined, refresh_token: undefined, id_token: undefined }),
  };
}
