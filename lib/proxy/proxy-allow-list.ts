import { z } from "zod";
import { isProviderId, PROVIDER_IDS } from "@/lib/providers/catalog";

/*
 * The per-client allow-list of the provider API proxy: entries `<provider>:<path prefix>`, e.g.
 * `google:/calendar/v3/users/me` or `github:/user`. A call is allowed when its path IS the prefix or
 * continues it after a `/` (prefix `/items` allows `/items` and `/items/7`, never `/itemsX`). An empty
 * list allows nothing.
 *
 * Safety rests on comparing the RAW path (as it will be sent upstream, byte for byte) and refusing every
 * path an upstream server could resolve differently from how it reads here: dot segments (`..`, `.`, and
 * `..;x` which some servers treat as `..`), empty segments (`//`), backslashes, and percent-encoded
 * slash, backslash, dot, percent and NUL (`%2f`, `%5c`, `%2e`, `%25`, `%00`). What is left cannot climb
 * out of the prefix, however the upstream decodes it.
 */

const MAX_PATH_LENGTH = 2048;
/** One path character as RFC 3986 allows it in a segment (pchar), `%XX` escapes checked separately. */
const SEGMENT = /^[A-Za-z0-9\-._~!$&'()*+,;=:@%]*$/;
const DANGEROUS_ESCAPE = /%(?:2e|2f|5c|25|00)/i;
const MALFORMED_ESCAPE = /%(?![0-9a-f]{2})/i;
const DOT_SEGMENT = /^\.{1,2}(?:;.*)?$/;

export type ProxyPathProblem = "invalid_path";

/**
 * Null when `path` (the raw part after `/api/proxy/{provider}`, starting with `/`) is safe to forward,
 * else why not. `/` alone is a valid path (the API's root).
 */
export function checkProxyPath(path: string): ProxyPathProblem | null {
  if (!path.startsWith("/") || path.length > MAX_PATH_LENGTH) return "invalid_path";
  if (DANGEROUS_ESCAPE.test(path) || MALFORMED_ESCAPE.test(path)) return "invalid_path";
  if (path === "/") return null;
  const segments = path.slice(1).split("/");
  for (const [index, segment] of segments.entries()) {
    // A trailing slash (`/items/`) is an empty last segment: allowed; `//` in the middle is not.
    if (segment === "" && index !== segments.length - 1) return "invalid_path";
    if (!SEGMENT.test(segment) || DOT_SEGMENT.test(segment)) return "invalid_path";
  }
  return null;
}

/** An allow-list entry as the admin writes it: a known provider, a safe absolute prefix without a trailing slash (except `/`). */
export const proxyAllowEntrySchema = z
  .string()
  .trim()
  .max(300, "An allow-list entry is at most 300 characters")
  .refine(
    (entry) => {
      const parsed = parseEntry(entry);
      return parsed !== null && (parsed.prefix === "/" || !parsed.prefix.endsWith("/")) && checkProxyPath(parsed.prefix) === null && !parsed.prefix.includes("%");
    },
    { message: `Allow-list entries look like "google:/path/prefix" (providers: ${PROVIDER_IDS.join(", ")}; no "..", "//", "%" or trailing "/")` },
  );

export const proxyAllowSchema = z
  .array(proxyAllowEntrySchema)
  .max(50, "At most 50 allow-list entries")
  .transform((entries): string[] => [...new Set(entries)])
  .meta({
    description: "Provider API proxy: the paths this client may reach through `/api/proxy/{provider}/…`, as `<provider>:<path prefix>` entries (at most 50; duplicates dropped). Empty or absent: none.",
    example: ["google:/oauth2/v3/userinfo"],
  });

function parseEntry(entry: string): { provider: string; prefix: string } | null {
  const colon = entry.indexOf(":");
  if (colon < 0) return null;
  const provider = entry.slice(0, colon);
  const prefix = entry.slice(colon + 1);
  return isProviderId(provider) && prefix.startsWith("/") ? { provider, prefix } : null;
}

/** Whether `allow` lets a call to `provider` at `path` through. `path` must have passed checkProxyPath. */
export function isProxyPathAllowed(allow: readonly string[], provider: string, path: string): boolean {
  for (const entry of allow) {
    const parsed = parseEntry(entry);
    if (!parsed || parsed.provider !== provider) continue;
    const { prefix } = parsed;
    if (prefix === "/" || path === prefix || path.startsWith(`${prefix}/`)) return true;
  }
  return false;
}
