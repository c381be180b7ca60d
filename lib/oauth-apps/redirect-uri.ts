const LOOPBACK_HOSTS = new Set(["127.0.0.1", "[::1]", "localhost"]);

/**
 * A redirect URI an app may register: absolute, no fragment (RFC 6749 §3.1.2), no credentials, and https,
 * or http only for a loopback host (RFC 8252 §7.3, native apps). Compared exactly at authorization time.
 */
export function checkRedirectUri(value: string): string | null {
  if (value.length > 2000) return "is at most 2000 characters";
  // Compared exactly with what clients send, which is the URL's ASCII form (non-ASCII arrives percent-encoded).
  if (!/^[\x21-\x7e]+$/.test(value) || value.includes("\\")) return "must be printable ASCII (percent-encode anything else), without spaces or backslashes";
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "must be an absolute URL";
  }
  if (url.hash || value.includes("#")) return "cannot contain a fragment (#)";
  if (url.username || url.password) return "cannot contain credentials";
  if (url.protocol === "https:") return null;
  if (url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname)) return null;
  return "must use https (http only for 127.0.0.1, [::1] or localhost)";
}
