import { CONNECT_FAILURES } from "@/lib/connect/connect-error";
import { getProviderClient, isCatalogueProvider, providerLabel } from "@/lib/providers/catalog";
import { plural } from "@/lib/ui/plural";

/*
 * Every message a server action (or Auth.js, on /signin) can leave for the next page, in one place.
 * An action redirects to `?notice=<code>` (plus the few params below); the page renders
 * <NoticeAlert>, which looks the code up here. A code that is not here is a type error.
 */

export type NoticeTone = "info" | "success" | "warning" | "error";
/** The only values a notice may read from the URL, each validated before use. */
export type NoticeParams = { provider?: string; count?: string };
type Notice = { tone: NoticeTone; message: string | ((params: NoticeParams) => string) };

const label = (params: NoticeParams) => (params.provider ? providerLabel(params.provider) : "The provider");

export const NOTICES = {
  // Any action
  invalid_input: { tone: "error", message: "That request was not valid. Nothing was changed." },
  unexpected_error: { tone: "error", message: "Something went wrong on our side and the change may not have been made. Please try again." },

  // Personal access tokens (settings and admin)
  token_revoked: { tone: "success", message: "Token revoked. It stops working on its next request." },
  token_not_found: { tone: "error", message: "That token was not found." },
  token_updated: { tone: "success", message: "Token details saved. Its value did not change." },
  token_name_taken: { tone: "error", message: "You already have an active token with that name. Choose another name." },
  tokens_revoked_all: { tone: "success", message: "All your active tokens were revoked. Scripts using them stop working on their next request." },
  no_tokens_to_revoke: { tone: "info", message: "You had no active tokens: nothing was revoked." },

  // Your sessions (/settings/sessions)
  session_signed_out: { tone: "success", message: "That session was signed out: the browser behind it is asked to sign in on its next request." },
  sessions_signed_out: { tone: "success", message: "Your other sessions were signed out. This device stays signed in." },
  session_not_found: { tone: "error", message: "That session has already ended." },
  // Sudo mode (lib/auth/require-recent-sign-in.ts)
  recent_sign_in_required: {
    tone: "warning",
    message: "Confirm it's you: this change needs a sign-in within the last 10 minutes. Sign in again with your provider, then try once more.",
  },

  // Notifications (the header menu)
  notifications_read: { tone: "success", message: "Notifications marked as read." },

  // Connections (the user's own)
  disconnected: { tone: "success", message: (p) => `API access to ${label(p)} was disconnected.` },
  disconnected_revoked: {
    tone: "success",
    message: (p) => `API access to ${label(p)} was disconnected and the grant was revoked at ${label(p)}. You can still sign in with ${label(p)}.`,
  },
  disconnected_not_supported: {
    tone: "warning",
    message: (p) => {
      const client = p.provider ? getProviderClient(p.provider) : null;
      const reason = client?.revocation.kind === "unsupported" ? client.revocation.reason : `${label(p)} does not support revoking tokens.`;
      return `API access to ${label(p)} was disconnected: the tokens were deleted from Tessera, but they could not be revoked at ${label(p)}. ${reason}`;
    },
  },
  disconnected_failed: {
    tone: "warning",
    message: (p) =>
      `The tokens were deleted from Tessera, but ${label(p)} did not confirm the revocation. They will stop working when they expire; you can also remove Tessera's access in your ${label(p)} account settings.`,
  },
  not_connected: { tone: "warning", message: (p) => `Tessera holds no API access to ${label(p)}.` },
  reconnect_required: { tone: "warning", message: (p) => `The ${label(p)} connection needs to be reconnected.` },
  refresh_unavailable: { tone: "warning", message: (p) => `${label(p)} could not be reached right now. Try again in a minute.` },
  service_blocked: {
    tone: "success",
    message: (p) => `That service can no longer obtain your ${label(p)} token or call ${label(p)} for you through Tessera. You can allow it again here.`,
  },
  service_unblocked: { tone: "success", message: (p) => `That service may obtain your ${label(p)} token again (if an administrator allows it).` },
  service_not_found: { tone: "error", message: "That service no longer exists." },

  // Administration
  user_not_found: { tone: "error", message: "That user no longer exists." },
  provider_tokens_revoked: { tone: "success", message: (p) => `${label(p)} tokens deleted and revoked at the provider.` },
  provider_tokens_deleted: { tone: "success", message: (p) => `${label(p)} tokens deleted; there was nothing to revoke at the provider.` },
  provider_tokens_not_revoked: {
    tone: "warning",
    message: (p) => `${label(p)} tokens deleted from Tessera; the provider could not revoke them (see the audit log).`,
  },
  revocation_done: { tone: "success", message: (p) => `${label(p)} confirmed the revocation; the stored tokens were deleted.` },
  revocation_failed: { tone: "warning", message: (p) => `${label(p)} still did not confirm the revocation; the tokens stay stored, never used. Retry later.` },
  revocation_discarded: { tone: "warning", message: (p) => `${label(p)} tokens deleted without provider revocation (recorded in the audit log).` },
  nothing_pending: { tone: "info", message: (p) => `No ${label(p)} revocation is pending for this user.` },
  sessions_ended: { tone: "success", message: (p) => `Ended ${plural(Number(p.count ?? 0), "session")}: the user is signed out on their next request.` },
  role_changed: { tone: "success", message: "Role changed." },
  last_admin: { tone: "error", message: "The last administrator cannot be demoted. Promote someone else first." },

  // Sign-in (Auth.js reports these as ?error=…)
  sign_in_failed: { tone: "error", message: "Sign-in failed. Please try again." },
  account_not_linked: { tone: "error", message: "That account is linked to a different Tessera user. Sign in with the provider you used before." },
  sign_in_denied: { tone: "error", message: "Sign-in was cancelled or refused." },
  sign_in_misconfigured: { tone: "error", message: "Sign-in is not configured correctly on this server. An administrator should check the logs." },
  email_not_verified: {
    tone: "error",
    message: (p) =>
      `Sign-in refused: ${label(p)} did not confirm that your email address is verified, so Tessera cannot use it to identify you. ` +
      "No Tessera account was created or linked. Verify the address with the provider (for GitHub: make a verified address your primary one; " +
      "for Microsoft: use an account of your organisation) and try again.",
  },

  // Third-party applications (issue 12)
  application_revoked: { tone: "success", message: "Access revoked. The application's tokens stop working on their next request." },
  grant_not_found: { tone: "error", message: "That application is not authorized for your account." },
  application_disabled: { tone: "success", message: "Application disabled: its tokens are refused and nobody can authorize it until it is enabled again." },
  application_enabled: { tone: "success", message: "Application enabled." },
  application_not_found: { tone: "error", message: "That application no longer exists." },
  // Clients nobody registered by hand (issue 22)
  application_deleted: { tone: "success", message: "Client deleted, with every grant and token it held." },
  client_registration_policy_saved: { tone: "success", message: "Client registration policy saved." },
  // The device flow (/device, issue 22)
  device_approved: { tone: "success", message: "Device authorized. Go back to your device: it signs in within a few seconds." },
  device_denied: { tone: "success", message: "Request denied. The device was not given access." },
  device_code_invalid: {
    tone: "error",
    message: "That code is not valid, has expired, or was already used. Check the code on your device, or start again there.",
  },
  device_code_rate_limited: { tone: "error", message: "Too many wrong codes. Wait a few minutes before trying again." },

  // Tessera's own connect flow (issue 23): /connect/<id> and /connect/callback
  connected: { tone: "success", message: (p) => `${label(p)} is connected: Tessera holds API access there for you. Disconnect it here at any time.` },
  connect_not_found: { tone: "error", message: CONNECT_FAILURES.not_found },
  connect_other_person: { tone: "error", message: CONNECT_FAILURES.other_person },
  connect_expired: { tone: "error", message: CONNECT_FAILURES.expired },
  connect_used: { tone: "error", message: CONNECT_FAILURES.used },
  connect_provider_disabled: { tone: "error", message: CONNECT_FAILURES.provider_disabled },
  connect_denied: { tone: "warning", message: (p) => `${label(p)} did not grant access (you may have declined). Nothing was changed.` },
  connect_provider_error: {
    tone: "error",
    message: (p) => `${label(p)} refused the connection. Try again; if it keeps failing, an administrator should check its settings.`,
  },
  connect_provider_unreachable: { tone: "error", message: (p) => `${label(p)} could not be reached. Try again in a moment.` },
} as const satisfies Record<string, Notice>;

export type NoticeCode = keyof typeof NOTICES;

export function isNoticeCode(value: unknown): value is NoticeCode {
  return typeof value === "string" && Object.hasOwn(NOTICES, value);
}

/** `path?notice=code&…`: where an action sends the browser after it ran. */
export function noticeUrl(path: string, notice: NoticeCode, params: NoticeParams = {}): string {
  const url = new URL(path, "http://x");
  url.searchParams.set("notice", notice);
  for (const [key, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(key, value);
  return url.pathname + url.search;
}

type SearchParams = Record<string, string | string[] | undefined>;

const AUTH_ERRORS: Record<string, NoticeCode> = {
  OAuthAccountNotLinked: "account_not_linked",
  AccessDenied: "sign_in_denied",
  Configuration: "sign_in_misconfigured",
  // lib/auth/check-sign-in.ts (EMAIL_NOT_VERIFIED_ERROR), with `&provider=`.
  EmailNotVerified: "email_not_verified",
};

/** Auth.js sends its failures to /signin as `?error=<type>`. */
export function authErrorNotice(error: string): NoticeCode {
  return AUTH_ERRORS[error] ?? "sign_in_failed";
}

export type ResolvedNotice = { tone: NoticeTone; message: string };

export function resolveNotice(code: NoticeCode, params: NoticeParams = {}): ResolvedNotice {
  const notice: Notice = NOTICES[code];
  return { tone: notice.tone, message: typeof notice.message === "function" ? notice.message(params) : notice.message };
}

/** The notice a page's URL carries, resolved to text; null when there is none (or it is not ours). */
export function readNotice(searchParams: SearchParams): ResolvedNotice | null {
  const one = (key: string) => (typeof searchParams[key] === "string" ? (searchParams[key] as string) : undefined);
  const code = one("notice");
  if (!isNoticeCode(code)) return null;
  return resolveNotice(code, readNoticeParams(searchParams));
}

/** The validated params a notice may use, from the page's URL. */
export function readNoticeParams(searchParams: SearchParams): NoticeParams {
  const one = (key: string) => (typeof searchParams[key] === "string" ? (searchParams[key] as string) : undefined);
  const provider = one("provider");
  const count = one("count");
  return { provider: isCatalogueProvider(provider) ? provider : undefined, count: count && /^\d{1,6}$/.test(count) ? count : undefined };
}
