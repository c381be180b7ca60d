import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import { CREDENTIALS_TRANSACTION } from "@/lib/db/lock-user-credentials";
import type { Scope } from "@/lib/pat/scopes";
import { failureBucket } from "@/lib/rate-limit/auth-failure-limiter";
import { countInWindow, peekWindows } from "@/lib/rate-limit/fixed-window";
import { isAppScope } from "./app-scopes";
import { authorizingApplication, type AuthorizingApplication } from "./authorization-request";
import { findGrantedScopes, mayStillConsent, widenGrant } from "./authorize-application";
import { formatUserCode, hashUserCode, normalizeUserCode } from "./device-authorization-codes";

/*
 * The /device page's half of RFC 8628: a signed-in person types the user code their device shows, sees the
 * same consent as /oauth/authorize, and approves or denies. A user code is short, so wrong codes are
 * counted per person and per address (§5.1 brute force); over either limit every code is refused, the
 * right one too, until the window ends.
 */

/** Wrong user codes one person may enter per window. */
export const DEVICE_GUESSES_PER_PERSON = 10;
/** Wrong user codes one address may send per window (several people behind one NAT). */
export const DEVICE_GUESSES_PER_ADDRESS = 30;
export const DEVICE_GUESS_WINDOW_SECONDS = 900;

export const deviceGuessKeys = (userId: string, ip: string | null) => ({
  person: `device-guess:user:${userId}`,
  address: `device-guess:ip:${failureBucket(ip)}`,
});

/** A device's request waiting for this person's decision: what the consent screen shows. */
export type PendingDeviceAuthorization = { id: string; userCode: string; app: AuthorizingApplication; scopes: Scope[]; granted: string[] | null };

/** `invalid`: unknown, expired, already decided, or its app disabled, all alike (a guesser learns nothing). */
export type DeviceCodeLookup = { ok: true; authorization: PendingDeviceAuthorization } | { ok: false; reason: "invalid" | "rate_limited" };

export async function findPendingDeviceAuthorization(rawUserCode: string, userId: string, ip: string | null, now = new Date()): Promise<DeviceCodeLookup> {
  const keys = deviceGuessKeys(userId, ip);
  const counts = await peekWindows([keys.person, keys.address], now.getTime());
  if (counts.get(keys.person)!.points >= DEVICE_GUESSES_PER_PERSON || counts.get(keys.address)!.points >= DEVICE_GUESSES_PER_ADDRESS)
    return { ok: false, reason: "rate_limited" };
  const userCode = normalizeUserCode(rawUserCode);
  const row = userCode
    ? await getDb().oAuthDeviceAuthorization.findUnique({
        where: { userCodeHash: hashUserCode(userCode) },
        include: { application: { include: { owner: { select: { name: true, email: true } } } } },
      })
    : null;
  if (!userCode || !row || row.approvedAt || row.deniedAt || row.expiresAt.getTime() <= now.getTime() || row.application.status !== "ACTIVE") {
    await countInWindow(keys.person, DEVICE_GUESS_WINDOW_SECONDS, now.getTime());
    await countInWindow(keys.address, DEVICE_GUESS_WINDOW_SECONDS, now.getTime());
    return { ok: false, reason: "invalid" };
  }
  const { application: app } = row;
  return {
    ok: true,
    authorization: {
      id: row.id,
      userCode: formatUserCode(userCode),
      app: authorizingApplication(app),
      scopes: row.scopes.filter(isAppScope),
      granted: await findGrantedScopes(userId, app.id),
    },
  };
}

/** `signed_out`: the person has no live session any more (revoke-all ran) or the app was disabled meanwhile. */
export type DeviceDecision = "approved" | "denied" | "invalid" | "signed_out";

/**
 * Records the person's decision on a pending device authorization (still pending, unexpired). Approving
 * saves the grant as the authorization-code consent does (issueAuthorizationCode: under the person's
 * credentials lock, the union of every scope ever approved) and links the request to it; the device's
 * next poll gets the tokens. Denying makes its next poll access_denied.
 */
export async function decideDeviceAuthorization(
  userId: string,
  pending: PendingDeviceAuthorization,
  decision: "approve" | "deny",
  context: { ip: string | null; now?: Date },
): Promise<DeviceDecision> {
  const now = context.now ?? new Date();
  const stillPending = { id: pending.id, approvedAt: null, deniedAt: null, expiresAt: { gt: now } };
  if (decision === "deny") {
    const denied = await getDb().oAuthDeviceAuthorization.updateMany({ where: stillPending, data: { deniedAt: now } });
    return denied.count ? "denied" : "invalid";
  }
  return getDb().$transaction(async (tx) => {
    if (!(await mayStillConsent(tx, userId, pending.app.id, now))) return "signed_out";
    // Claimed first: of two concurrent decisions only one gets here.
    const claimed = await tx.oAuthDeviceAuthorization.updateMany({ where: stillPending, data: { approvedAt: now } });
    if (claimed.count === 0) return "invalid";
    const grant = await widenGrant(tx, userId, pending.app.id, pending.scopes);
    await tx.oAuthDeviceAuthorization.update({ where: { id: pending.id }, data: { grantId: grant.id } });
    await recordAuditEvent(
      {
        action: "application.authorized",
        actor: { type: "user", id: userId },
        subjectUserId: userId,
        ip: context.ip,
        detail: { applicationId: pending.app.id, clientId: pending.app.clientId, name: pending.app.name, scopes: pending.scopes, flow: "device" },
      },
      tx,
    );
    return "approved" as const;
  }, CREDENTIALS_TRANSACTION);
}
