import { randomBase62 } from "@/lib/crypto";
import { getDb } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { failureBucket } from "@/lib/rate-limit/auth-failure-limiter";
import { countInWindow, retryAfterFor } from "@/lib/rate-limit/fixed-window";
import { defaultScopesOf, parseAppScopes } from "./app-scopes";
import type { AuthenticatedApplication } from "./authenticate-application";
import { formatUserCode, generateDeviceCode, generateUserCode, hashDeviceCode, hashUserCode, normalizeUserCode } from "./device-authorization-codes";

/** How long the person has to enter the code (RFC 8628 §3.2 expires_in). */
export const DEVICE_CODE_SECONDS = 600;
/** The polling interval the device starts with (§3.2 interval); each slow_down adds 5. */
export const DEVICE_POLL_INTERVAL_SECONDS = 5;
/**
 * Device authorizations one address may start per minute for one application. Anyone can name a public
 * app's client_id, so junk is limited per address, never in the app's own budget (its real users' sign-ins).
 */
export const DEVICE_STARTS_PER_MINUTE = 20;

export const DEVICE_VERIFICATION_PATH = "/device";

/** `/device`, with the user code when there is one (where sign-in comes back to). */
export function deviceVerificationPath(userCode?: string | null): string {
  return userCode ? `${DEVICE_VERIFICATION_PATH}?${new URLSearchParams({ user_code: userCode })}` : DEVICE_VERIFICATION_PATH;
}

export type DeviceAuthorizationStart =
  | { ok: true; deviceCode: string; userCode: string; verificationUri: string; verificationUriComplete: string; expiresIn: number; interval: number }
  | { ok: false; error: "invalid_scope"; description: string }
  | { ok: false; error: "rate_limited"; retryAfterSeconds: number };

/**
 * RFC 8628 §3.1–3.2: an authenticated application asks to be authorized on a device without a browser.
 * `scope` absent: the app's default scopes, as at /oauth/authorize. The device gets the device code (to
 * poll the token endpoint with) and the user code the person types at `<issuer>/device`.
 */
export async function startDeviceAuthorization(
  app: AuthenticatedApplication,
  input: { scope?: string },
  context: { issuer: string; ip: string | null; now?: Date },
): Promise<DeviceAuthorizationStart> {
  const now = context.now ?? new Date();
  const retryAfterSeconds = retryAfterFor(
    await countInWindow(`device-start:${app.id}:${failureBucket(context.ip)}`, 60, now.getTime()),
    DEVICE_STARTS_PER_MINUTE,
    now.getTime(),
  );
  if (retryAfterSeconds) return { ok: false, error: "rate_limited", retryAfterSeconds };
  const { defaultScopes } = await getDb().oAuthApplication.findUniqueOrThrow({ where: { id: app.id }, select: { defaultScopes: true } });
  const scopes = input.scope === undefined ? defaultScopesOf(defaultScopes) : parseAppScopes(input.scope);
  if (!scopes) return { ok: false, error: "invalid_scope", description: "scope must list one or more API scopes an application may be granted (never admin)." };

  // A user code is short: the rare collision with a stored one (live or not yet purged) draws again.
  for (let attempt = 0; ; attempt++) {
    const deviceCode = generateDeviceCode();
    const userCode = normalizeUserCode(generateUserCode())!;
    try {
      await getDb().oAuthDeviceAuthorization.create({
        data: {
          id: `oda_${randomBase62(12)}`,
          applicationId: app.id,
          deviceCodeHash: hashDeviceCode(deviceCode),
          userCodeHash: hashUserCode(userCode),
          scopes,
          interval: DEVICE_POLL_INTERVAL_SECONDS,
          createdAt: now,
          expiresAt: new Date(now.getTime() + DEVICE_CODE_SECONDS * 1000),
        },
      });
    } catch (error) {
      if (attempt < 3 && error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") continue;
      throw error;
    }
    const shown = formatUserCode(userCode);
    const verificationUri = `${context.issuer}${DEVICE_VERIFICATION_PATH}`;
    return {
      ok: true,
      deviceCode,
      userCode: shown,
      verificationUri,
      verificationUriComplete: `${verificationUri}?user_code=${shown}`,
      expiresIn: DEVICE_CODE_SECONDS,
      interval: DEVICE_POLL_INTERVAL_SECONDS,
    };
  }
}
