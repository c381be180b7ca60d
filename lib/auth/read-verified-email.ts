import { isEntraTenantRestricted, parseEntraTenantAllowList } from "@/lib/config/check-provider-setup";
import { getProviderMode } from "@/lib/providers/catalog";

type Env = Readonly<Record<string, string | undefined>>;

/** What a provider's profile says about the person's email address. */
export type EmailVerification = { status: "verified"; email: string } | { status: "unverified"; email: string } | { status: "missing" };

/**
 * The address a provider vouches for. Only a verified address identifies a person (ADMIN_EMAILS, the
 * user's email): an address someone merely typed in, or asserted from a tenant they control, must not.
 * - Google and other OpenID providers: `email_verified === true`.
 * - GitHub: the primary verified address from the emails API (the profile's `email` and `email_verified`
 *   are filled from it by Tessera's userinfo request, see providers.ts).
 * - Microsoft Entra ID: `email` (never `preferred_username`) and only when sign-ins are limited to known
 *   tenants: a tenant-specific issuer, or AUTH_MICROSOFT_ENTRA_ID_TENANTS containing the token's `tid`
 *   (the demo IdP counts as tenant-specific: it never sends `tid`). An explicit `email_verified: false` is unverified.
 */
export function readVerifiedEmail(provider: string, profile: Record<string, unknown> | null | undefined, env: Env = process.env): EmailVerification {
  const email = typeof profile?.email === "string" && profile.email.trim() ? profile.email.trim() : null;
  if (!email) return { status: "missing" };
  if (profile?.email_verified === false) return { status: "unverified", email };
  if (provider === "microsoft-entra-id") return isEntraTenantTrusted(profile ?? {}, env) ? { status: "verified", email } : { status: "unverified", email };
  return profile?.email_verified === true ? { status: "verified", email } : { status: "unverified", email };
}

function isEntraTenantTrusted(profile: Record<string, unknown>, env: Env): boolean {
  if (getProviderMode(env) === "demo") return true;
  const allowList = parseEntraTenantAllowList(env);
  if (allowList.length) return typeof profile.tid === "string" && allowList.includes(profile.tid.toLowerCase());
  return isEntraTenantRestricted(env);
}
