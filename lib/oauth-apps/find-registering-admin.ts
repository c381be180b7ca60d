import type { NextRequest } from "next/server";
import { isSameOrigin } from "@/lib/security/is-same-origin";
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
