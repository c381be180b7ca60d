import { getDb } from "@/lib/db/client";
import type { AuthenticatedApplication } from "./authenticate-application";
import { hashDeviceCode, isDeviceCode } from "./device-authorization-codes";
import { issueAppTokens, type IssuedAppTokens } from "./issue-app-tokens";

/** RFC 8628 §3.5 adds this much to the interval on every slow_down. */
export const SLOW_DOWN_SECONDS = 5;

/**
 * One poll's answer. `invalid_request` and `invalid_grant` say nothing about a real device code; every
 * other outcome was reached with a device code of this client (the request proved itself).
 */
export type DevicePollResult =
  | ({ ok: true } & IssuedAppTokens)
  | { ok: false; error: "invalid_request" | "invalid_grant"; description: string }
  | { ok: false; error: "authorization_pending" | "expired_token" | "access_denied" }
  | { ok: false; error: "slow_down"; interval: number };

const invalidGrant = (description: string) => ({ ok: false as const, error: "invalid_grant" as const, description });

/**
 * RFC 8628 §3.4–3.5, top to bottom: the code must be this client's → not yet redeemed (one token response
 * per approval: a second poll after success is invalid_grant) → not denied → not expired → not polled
 * faster than its interval (slow_down, and the interval grows by 5 s) → approved, else pending. Redeeming
 * claims the row and issues its tokens in one transaction; the row's id names the token family.
 */
export async function pollDeviceAuthorization(app: AuthenticatedApplication, deviceCode: string | undefined, now = new Date()): Promise<DevicePollResult> {
  if (!deviceCode) return { ok: false, error: "invalid_request", description: "device_code is required." };
  if (!isDeviceCode(deviceCode)) return invalidGrant("The device code is invalid.");
  const db = getDb();
  const row = await db.oAuthDeviceAuthorization.findUnique({ where: { deviceCodeHash: hashDeviceCode(deviceCode) } });
  // Another client's device code is as unknown to this one as a made-up one.
  if (!row || row.applicationId !== app.id) return invalidGrant("The device code is invalid.");
  if (row.usedAt) return invalidGrant("The device code was already used.");
  if (row.deniedAt) return { ok: false, error: "access_denied" };
  if (row.expiresAt.getTime() <= now.getTime()) return { ok: false, error: "expired_token" };

  const tooSoon = row.lastPolledAt !== null && now.getTime() - row.lastPolledAt.getTime() < row.interval * 1000;
  // Stamped only if nobody polled since this read: of two concurrent polls, one is too soon.
  const stamped = tooSoon
    ? { count: 0 }
    : await db.oAuthDeviceAuthorization.updateMany({ where: { id: row.id, lastPolledAt: row.lastPolledAt }, data: { lastPolledAt: now } });
  if (stamped.count === 0) {
    // The wait is counted from the last poll that was answered, not from this one: stamping a refused poll too let
    // the server's interval run 5 s ahead of a client that never saw one slow_down (a second poller, a lost answer),
    // and then every poll of that client was too soon, forever (seen in e2e/device-flow.spec.ts under load).
    const slowed = await db.oAuthDeviceAuthorization.update({
      where: { id: row.id },
      data: { interval: { increment: SLOW_DOWN_SECONDS } },
      select: { interval: true },
    });
    return { ok: false, error: "slow_down", interval: slowed.interval };
  }
  if (!row.approvedAt || !row.grantId) return { ok: false, error: "authorization_pending" };

  const grantId = row.grantId;
  return db.$transaction(async (tx) => {
    const claimed = await tx.oAuthDeviceAuthorization.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: now } });
    if (claimed.count === 0) return invalidGrant("The device code was already used.");
    const tokens = await issueAppTokens(tx, grantId, row.id, row.scopes, now);
    return { ok: true as const, ...tokens };
  });
}
