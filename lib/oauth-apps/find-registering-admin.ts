import type { NextRequest } from "next/server";
import { findSessionUser, readSessionToken } from "@/lib/auth/session-user";

/**
 * The admin registering a client at POST /api/oauth/register through their browser session, or null. The
 * endpoint is an OAuth one (no session required), so the session counts only on a same-origin request:
 * another site's page cannot make an admin's browser register a confidential client (or any client past the policy).
 */
export async function findRegisteringAdmin(request: NextRequest): Promise<{ id: string } | null> {
  const token = readSessionToken(request.cookies, request.headers);
  if (!token || !isSameOrigin(request)) return null;
  const user = await findSessionUser(token);
  return user?.role === "ADMIN" ? { id: user.id } : null;
}

/** As withApi judges a session write: Sec-Fetch-Site same-origin (or none), and an Origin naming this host. */
function isSameOrigin(request: NextRequest): boolean {
  const fetchSite = request.headers.get("sec-fetch-site");
  if (fetchSite && fetchSite !== "same-origin" && fetchSite !== "none") return false;
  const origin = request.headers.get("origin");
  if (!origin) return fetchSite === "same-origin";
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
