/*
 * How long a session lives. Activity rolls it (idle limit), but never past an absolute limit
 * counted from sign-in; the row is rewritten at most once a day, not on every request.
 * auth.ts passes the same idle and update ages to Auth.js (session.maxAge / updateAge).
 */
const DAY_MS = 24 * 3600_000;
export const SESSION_IDLE_MS = 30 * DAY_MS;
export const SESSION_ABSOLUTE_MS = 90 * DAY_MS;
export const SESSION_UPDATE_AGE_MS = DAY_MS;

/** `expires`, but never later than the absolute limit of a session created at `createdAt`. */
export function capSessionExpiry(createdAt: Date, expires: Date): Date {
  return new Date(Math.min(expires.getTime(), createdAt.getTime() + SESSION_ABSOLUTE_MS));
}

/**
 * The new expiry when a session used at `now` is due to be extended (last extended over a day
 * ago and not at its absolute limit yet), else null: nothing to write.
 */
export function rollSessionExpiry(session: { createdAt: Date; expires: Date }, now = new Date()): Date | null {
  const lastExtendedAt = session.expires.getTime() - SESSION_IDLE_MS;
  if (now.getTime() - lastExtendedAt < SESSION_UPDATE_AGE_MS) return null;
  const next = capSessionExpiry(session.createdAt, new Date(now.getTime() + SESSION_IDLE_MS));
  return next.getTime() > session.expires.getTime() ? next : null;
}
