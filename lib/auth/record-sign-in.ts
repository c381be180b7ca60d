import type { Account } from "next-auth";
import { getDb } from "@/lib/db/client";
import { storeSignInTokens } from "@/lib/provider-tokens/store-sign-in-tokens";
import { parseScopes } from "@/lib/provider-tokens/refresh-at-provider";

export function parseAdminEmails(value: string | undefined): Set<string> {
  return new Set((value ?? "").split(",").map((e) => e.trim().toLowerCase()).filter(Boolean));
}

/**
 * After every successful sign-in: note the time, apply ADMIN_EMAILS, and store the provider's
 * tokens (encrypted) so they are current on every sign-in, not only on the first link.
 */
export async function recordSignIn(input: { userId: string; email: string | null; account: Account | null }): Promise<void> {
  const db = getDb();
  const user = await db.user.findUnique({ where: { id: input.userId }, select: { role: true, roleFromAdminEmails: true } });
  if (!user) return;
  const listed = input.email ? parseAdminEmails(process.env.ADMIN_EMAILS).has(input.email.toLowerCase()) : false;
  const roleChange = listed
    ? { role: "ADMIN" as const, roleFromAdminEmails: true }
    : user.roleFromAdminEmails
      ? { role: "USER" as const, roleFromAdminEmails: false }
      : {};
  await db.user.update({ where: { id: input.userId }, data: { lastSignInAt: new Date(), ...roleChange } });

  const account = input.account;
  if (!account || (account.type !== "oauth" && account.type !== "oidc")) return;
  await storeSignInTokens(input.userId, account.provider, {
    accessToken: account.access_token,
    refreshToken: account.refresh_token,
    idToken: account.id_token,
    expiresAt: typeof account.expires_at === "number" ? new Date(account.expires_at * 1000) : null,
    scopes: parseScopes(account.scope),
    tokenType: account.token_type ?? null,
  });
}
