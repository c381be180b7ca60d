import { NextRequest } from "next/server";
import { isHttpsRequest } from "@/lib/security/is-https-request";

type Env = Readonly<Record<string, string | undefined>>;
type HeaderReader = { get(name: string): string | null };

// A host name, IPv4 or bracketed IPv6 address, with an optional port; anything else is not used.
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** AUTH_URL's origin when it is set and valid, else null. */
export function configuredOrigin(env: Env = process.env): string | null {
  const configured = env.AUTH_URL ?? env.NEXTAUTH_URL;
  if (!configured) return null;
  try {
    return new URL(configured).origin;
  } catch {
    return null;
  }
}

/**
 * The origin the person opened, from the Host header (X-Forwarded-Host when npm start's server let a
 * trusted proxy's through, see TRUSTED_PROXY_HOPS), with the scheme isHttpsRequest decides. Null for
 * a malformed host.
 */
export function requestOrigin(headers: HeaderReader, env: Env = process.env): string | null {
  const host = (headers.get("x-forwarded-host") ?? headers.get("host"))?.trim();
  if (!host || !HOST.test(host)) return null;
  return `${isHttpsRequest(headers, env) ? "https" : "http"}://${host.toLowerCase()}`;
}

/**
 * Auth.js builds its redirect_uri and redirects from the request's URL, which says localhost whatever
 * address the browser used (Next fills it with the hostname the server was started with, and
 * NextRequest rewrites 127.0.0.1 and [::1] to localhost): a sign-in at 127.0.0.1 or a LAN address came
 * back to localhost without its state cookies and failed. With no AUTH_URL (trusted-host mode, the
 * demo default) Auth.js gets a plain Request at the origin the person opened. With AUTH_URL, next-auth
 * uses that, and the middleware sends sign-in on other hosts there first.
 */
export function withRequestOrigin(request: NextRequest, env: Env = process.env): NextRequest {
  if (env.AUTH_URL || env.NEXTAUTH_URL) return request;
  const origin = requestOrigin(request.headers, env);
  if (!origin) return request;
  const url = new URL(request.url);
  const target = new URL(origin);
  url.protocol = target.protocol;
  url.host = target.host;
  const hasBody = request.method !== "GET" && request.method !== "HEAD" && request.body !== null;
  const plain = new Request(url.href, {
    method: request.method,
    headers: request.headers,
    body: hasBody ? request.body : undefined,
    ...(hasBody ? { duplex: "half" } : {}),
    signal: request.signal,
  } as RequestInit);
  // next-auth's handlers read only the standard Request (and nextUrl when AUTH_URL is set, not here).
  return plain as unknown as NextRequest;
}
