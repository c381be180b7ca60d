import { NextResponse, type NextRequest } from "next/server";
import { readSessionToken, sessionCookieName, validateSessionToken, type ValidatedSession } from "@/lib/auth/session-user";
import { logger } from "@/lib/log/logger";
import { isHttpsRequest } from "@/lib/security/is-https-request";
import { buildSecurityHeaders, createCspNonce } from "@/lib/security/security-headers";
import { safeCallbackPath } from "@/lib/api/safe-callback-path";
import { configuredOrigin, requestOrigin } from "@/lib/auth/request-origin";
import { readSessionClient, type SessionClient } from "@/lib/auth/session-activity";
import { clientIp } from "@/lib/http/client-ip";

/*
 * Every request: security headers (a fresh CSP nonce, which Next.js reads back from the request's
 * Content-Security-Policy header and puts on its scripts), and the session is rolled when due.
 * Signed-out visitors of private areas go to sign-in. Every page, route and action checks
 * authorisation again on the server: this is a convenience, not the security boundary.
 * Node runtime: the session is looked up in the database, like everywhere else.
 */
const PRIVATE_PATH = /^\/(settings|admin)(\/|$)/;

export async function middleware(request: NextRequest) {
  const https = isHttpsRequest(request.headers);
  const nonce = createCspNonce();
  const securityHeaders = buildSecurityHeaders({ nonce, https });
  const response = await routeRequest(request, https, { nonce, csp: securityHeaders["Content-Security-Policy"]! });
  for (const [name, value] of Object.entries(securityHeaders)) response.headers.set(name, value);
  return response;
}

async function routeRequest(request: NextRequest, https: boolean, csp: { nonce: string; csp: string }): Promise<NextResponse> {
  const { pathname, search } = request.nextUrl;
  const isPrivate = PRIVATE_PATH.test(pathname);
  // Request URLs carry the server's own hostname (localhost): redirects go to the origin the person
  // opened, or to AUTH_URL when it is set.
  const opened = requestOrigin(request.headers);
  const configured = configuredOrigin();
  const origin = configured ?? opened ?? request.nextUrl.origin;
  const signInPage = pathname === "/signin" && (request.method === "GET" || request.method === "HEAD");
  if (signInPage && configured && opened && new URL(opened).host !== new URL(configured).host) {
    // Sign-in completes only on AUTH_URL's host (its callback and cookies live there): start it there.
    const target = new URL(configured);
    target.pathname = pathname;
    target.search = search;
    return NextResponse.redirect(target);
  }
  const sessionToken = pathname.startsWith("/_next/") ? null : readSessionToken(request.cookies, request.headers);
  // Rolled on page and API reads only: a write (server action, sign-out, Auth.js's routes) may set
  // the session cookie itself, and two Set-Cookie headers for one name would race.
  const roll = request.method === "GET" && !pathname.startsWith("/api/auth/");
  // Page views note "last seen" (address, browser) for the sessions page, at most every 5 minutes.
  const seen = roll ? readSessionClient(request.headers, clientIp(request.headers)) : undefined;
  const session = sessionToken ? await findSession(sessionToken, { isPrivate, roll, seen }) : null;
  if (isPrivate && !session) {
    const url = new URL("/signin", origin);
    url.searchParams.set("callbackUrl", safeCallbackPath(pathname + search));
    return NextResponse.redirect(url);
  }
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", csp.nonce);
  requestHeaders.set("content-security-policy", csp.csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  if (session?.extended) {
    // Auth.js's own cookie options, with the new expiry: activity keeps the browser signed in.
    response.cookies.set(sessionCookieName(request.headers), sessionToken!, {
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      secure: https,
      expires: session.expires,
    });
  }
  return response;
}

async function findSession(
  sessionToken: string,
  { isPrivate, roll, seen }: { isPrivate: boolean; roll: boolean; seen?: SessionClient },
): Promise<ValidatedSession | null> {
  try {
    return await validateSessionToken(sessionToken, { roll, seen });
  } catch (error) {
    // Private areas fail as before; a public page (or /api/health) must not fail because rolling did.
    if (isPrivate) throw error;
    logger.warn({ err: { name: (error as Error).name, message: (error as Error).message } }, "session lookup failed in middleware");
    return null;
  }
}

// Pages only. API routes and /mcp skip it (issue 26): a JSON answer needs neither a CSP nonce nor a session roll,
// and the hop cost a third of /api/health's throughput. Their security headers are static (next.config.ts, from
// lib/security/api-security-headers.ts); Auth.js's routes under /api/auth get the page headers from the app server
// (lib/runtime/create-app-server.ts). Skipping API requests also keeps Next from copying a request body for
// middleware, which cut uploads off at 10 MB and raced the route into a 500 (lib/runtime/api-body-requests.ts).
export const config = {
  runtime: "nodejs",
  matcher: ["/((?!api/|mcp$).*)"],
};
