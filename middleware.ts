import { NextResponse, type NextRequest } from "next/server";
import { safeCallbackPath } from "@/lib/api/safe-callback-path";
import { findSessionUser, readSessionToken } from "@/lib/auth/session-user";

/*
 * Signed-out visitors of private areas go to sign-in. Every page, route and action checks
 * authorisation again on the server: this is a convenience, not the security boundary.
 * Node runtime: the session is looked up in the database, like everywhere else.
 */
export async function middleware(request: NextRequest) {
  const user = await findSessionUser(readSessionToken((name) => request.cookies.get(name)?.value));
  if (user) return NextResponse.next();
  const url = new URL("/signin", request.nextUrl.origin);
  url.searchParams.set("callbackUrl", safeCallbackPath(request.nextUrl.pathname + request.nextUrl.search));
  return NextResponse.redirect(url);
}

export const config = { runtime: "nodejs", matcher: ["/settings/:path*", "/admin/:path*"] };
