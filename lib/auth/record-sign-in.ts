import type { Account } from "next-auth";
import { getDb } from "@/lib/db/client";
import { storeSignInTokens } from "@/lib/provider-tokens/store-sign-in-tokens";
import { parseScopes } from "@/lib/provider-tokens/refresh-at-provider";
import { revokeReplacedGrant } from "@/lib/provider-tokens/revoke-replaced-grant";

export function parseAdminEmails(value: string | undefined): Set<string> {
  return new Set(
    (value ?? "")
      .split(",")
      .map((e) => e.trim().toLowerCase())
      .filter(Boolean),
  );
}

/**
 * What ADMIN_EMAILS does to a role at sign-in: it promotes listed people and takes back only roles it gave
 * itself; an administrator's explicit decision (roleSource MANUAL, either way) is never overridden.
 */
export function adminEmailsRoleChange(
  user: { role: "USER" | "ADMIN"; roleSource: "ADMIN_EMAILS" | "MANUAL" | null },
  listed: boolean,
): { role: "USER" | "ADMIN"; roleSource: "ADMIN_EMAILS" | null } | Record<string, never> {
  if (user.roleSource === "MANUAL") return {};
  if (listed) return user.role === "ADMIN" ? {} : { role: "ADMIN", roleSource: "ADMIN_EMAILS" };
  return user.roleSource === "ADMIN_EMAILS" ? { role: "USER", roleSource: null } : {};
}

/**
 * After every successful sign-in: note the time, apply ADMIN_EMAILS (to a verified address: unverified ones
 * are refused before this runs, see checkSignIn), and store the provider's tokens (encrypted) so they are
 * current on every sign-in, not only on the first link.
 */
export async function recordSignIn(input: { userId: string; email: string | null; account: Account | null }): Promise<void> {
  const db = getDb();
  const user = await db.user.findUnique({ where: { id: input.userId }, select: { role: true, roleSource: true } });
  if (!user) return;
  const listed = input.email ? parseAdminEmails(process.env.ADMIN_EMAILS).has(input.email.toLowerCase()) : false;
  const roleChange = adminEmailsRoleChange(user, listed);
  await db.user.update({ where: { id: input.userId }, data: { lastSignInAt: new Date(), ...roleChange } });

  const account = input.account;
  if (!account || (account.type !== "oauth" && account.type !== "oidc")) return;
  // Tokens of another account at this provider are revoked at the provider and removed first, never overwritten silently.
  await revokeReplacedGrant(input.userId, account.provider, account.providerAccountId, { type: "user", id: input.userId });
  await storeSignInTokens(input.userId, account.provider, {
    providerAccountId: account.providerAccountId,
    accessToken: account.access_token,
    refreshToken: account.refresh_token,
    idToken: account.id_token,
    expiresAt: typeof account.expires_at === "number" ? new Date(account.expires_at * 1000) : null,
    scopes: parseScopes(account.scope),
    tokenType: account.token_type ?? null,
  });
}
