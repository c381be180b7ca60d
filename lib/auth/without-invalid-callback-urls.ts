import { NextRequest } from "next/server";

const CALLBACK_COOKIE = /^(?:__Secure-)?authjs\.callback-url$/;

// Auth.js's own check (@auth/core lib/utils/assert.js isValidHttpUrl).
function isValidHttpUrl(value: string): boolean {
  try {
    return /^https?:/.test(new URL(value, value.startsWith("/") ? "http://localhost" : undefined).protocol);
  } catch {
    return false;
  }
}

function decodeCookieValue(raw: string): string {
  const value = raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * Auth.js answers any request whose `callbackUrl` query parameter or callback-url cookie is not an
 * http(s) URL with a 500 ("server configuration"), before routing. Such a value is bad input, not a
 * server fault: drop it, so Auth.js proceeds as if none was sent (it then uses its default).
 */
export function withoutInvalidCallbackUrls(request: NextRequest): NextRequest {
  const url = new URL(request.url);
  let changed = false;
  const param = url.searchParams.get("callbackUrl");
  if (param && !isValidHttpUrl(param)) {
    url.searchParams.delete("callbackUrl");
    changed = true;
  }
  const headers = new Headers(request.headers);
  // Read the raw header as Auth.js does (the `cookie` package keeps a value it cannot percent-decode
  // as is; request.cookies drops it).
  const parts = (request.headers.get("cookie") ?? "").split(";");
  const kept = parts.filter((part) => {
    const eq = part.indexOf("=");
    if (eq < 0 || !CALLBACK_COOKIE.test(part.slice(0, eq).trim())) return true;
    const value = decodeCookieValue(part.slice(eq + 1).trim());
    return !value || isValidHttpUrl(value);
  });
  if (kept.length !== parts.length) {
    headers.set("cookie", kept.join(";"));
    changed = true;
  }
  if (!changed) return request;
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  return new NextRequest(url, { method: request.method, headers, body: hasBody ? request.body : undefined, duplex: "half" } as ConstructorParameters<
    typeof NextRequest
  >[1]);
}
