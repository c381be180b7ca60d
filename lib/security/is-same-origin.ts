type RequestHeaders = { headers: { get(name: string): string | null } };

/**
 * Whether a browser sent this request from one of our own pages: Sec-Fetch-Site same-origin (or none, typed by
 * the person), and an Origin naming this host. Browsers send Origin on cross-site POST/DELETE, so a write
 * authenticated by a session cookie must pass this (withApi, and the admin's session at client registration).
 */
export function isSameOrigin(request: RequestHeaders): boolean {
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
