import { z } from "zod";
import { isCatalogueProvider, PROVIDER_IDS } from "@/lib/providers/catalog";

/*
 * The per-client allow-list of the provider API proxy: entries `METHODS <provider>:<path prefix>`, e.g.
 * `GET google:/calendar/v3/users/me`, `GET,POST github:/items` or `* github:/gists`. A call is allowed when
 * some entry names its provider and its method (GET also allows HEAD) and its path IS the prefix or
 * continues it after a `/` (prefix `/items` allows `/items` and `/items/7`, never `/itemsX`). An entry
 * without METHODS allows GET and HEAD only: a list written as "read these paths" never lets a service
 * PATCH, PUT, DELETE or POST with the person's token. An empty list allows nothing.
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

/** The methods the proxy route forwards (app/api/proxy/[provider]/[...path]/route.ts), in canonical order. */
export const PROXY_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"] as const;
export type ProxyMethod = (typeof PROXY_METHODS)[number];
/** In an entry: every method the proxy forwards. */
const ANY_METHOD = "*";

type AllowEntry = { methods: ReadonlySet<ProxyMethod> | typeof ANY_METHOD; provider: string; prefix: string; scopes: readonly string[] };
type Parsed = { ok: true; entry: AllowEntry } | { ok: false; message: string };

const GRAMMAR = `"METHOD provider:/path/prefix [scope=a,b]", e.g. "GET google:/calendar/v3" or "GET,POST github:/items scope=repo"`;
const SCOPES_PREFIX = "scope=";
const PROVIDER_SCOPE = /^[\x21-\x2b\x2d-\x7e]{1,200}$/;
const METHODS_HELP = `methods are ${PROXY_METHODS.join(", ")}, a comma list of them without spaces, or ${ANY_METHOD} for all; no method means GET (and HEAD)`;
const TARGET_HELP = `providers: ${PROVIDER_IDS.join(", ")} or another catalogue id; the path starts with "/" and has no "..", "//", "%", spaces or trailing "/"`;

const isProxyMethod = (value: string): value is ProxyMethod => (PROXY_METHODS as readonly string[]).includes(value);
const quote = (entry: string) => JSON.stringify(entry.length > 80 ? `${entry.slice(0, 80)}…` : entry);

/**
 * Reads one entry: `[METHODS ]<provider>:<path prefix>`, METHODS being one method, a comma list (`GET,POST`)
 * or `*`, case-insensitive. Without METHODS the entry allows GET and HEAD only, the meaning entries had before
 * methods existed (stored ones were rewritten to `GET …` by the proxy_allow_methods migration).
 */
function parseEntry(raw: string): Parsed {
  const parts = raw.trim().split(/\s+/);
  // Issue 23 §3: an optional last part names the provider scopes calls under this entry need (comma-separated).
  let scopes: string[] = [];
  if (parts.length > 1 && parts.at(-1)!.startsWith(SCOPES_PREFIX)) {
    scopes = [...new Set(parts.pop()!.slice(SCOPES_PREFIX.length).split(","))];
    if (!scopes.every((scope) => PROVIDER_SCOPE.test(scope)) || scopes.length > 20)
      return { ok: false, message: `Allow-list entry ${quote(raw)}: scope= takes up to 20 provider scopes separated by commas, without spaces` };
  }
  if (parts.length > 2) return { ok: false, message: `Allow-list entry ${quote(raw)} has too many spaces: write ${GRAMMAR}` };
  const [methodsText, target] = parts.length === 2 ? [parts[0]!, parts[1]!] : [null, parts[0]!];

  let methods: AllowEntry["methods"] = new Set<ProxyMethod>(["GET"]);
  if (methodsText === ANY_METHOD) methods = ANY_METHOD;
  else if (methodsText !== null) {
    const named = methodsText.toUpperCase().split(",");
    const unknown = named.find((method) => !isProxyMethod(method));
    if (unknown !== undefined) return { ok: false, message: `Allow-list entry ${quote(raw)}: unknown method ${quote(unknown)} (${METHODS_HELP})` };
    methods = new Set(named as ProxyMethod[]);
  }

  const colon = target.indexOf(":");
  const provider = colon < 0 ? "" : target.slice(0, colon);
  const prefix = colon < 0 ? "" : target.slice(colon + 1);
  const safePrefix = prefix.startsWith("/") && (prefix === "/" || !prefix.endsWith("/")) && !prefix.includes("%") && checkProxyPath(prefix) === null;
  if (!isCatalogueProvider(provider) || !safePrefix)
    return { ok: false, message: `Allow-list entry ${quote(raw)} should look like ${GRAMMAR} (${TARGET_HELP})` };
  return { ok: true, entry: { methods, provider, prefix, scopes } };
}

/** The explicit form stored: methods upper case in PROXY_METHODS order, HEAD left out where GET (which allows it) is. */
function canonical({ methods, provider, prefix, scopes }: AllowEntry): string {
  const listed =
    methods === ANY_METHOD ? ANY_METHOD : PROXY_METHODS.filter((method) => methods.has(method) && !(method === "HEAD" && methods.has("GET"))).join(",");
  return `${listed} ${provider}:${prefix}${scopes.length ? ` ${SCOPES_PREFIX}${scopes.join(",")}` : ""}`;
}

/** One entry as the admin writes it, checked and turned into its explicit form (`google:/me` → `GET google:/me`). */
export const proxyAllowEntrySchema = z
  .string()
  .trim()
  .max(300, "An allow-list entry is at most 300 characters")
  .transform((raw, ctx) => {
    const parsed = parseEntry(raw);
    if (parsed.ok) return canonical(parsed.entry);
    ctx.addIssue({ code: "custom", message: parsed.message });
    return z.NEVER;
  });

export const proxyAllowSchema = z
  .array(proxyAllowEntrySchema)
  .max(50, "At most 50 allow-list entries")
  .transform((entries): string[] => [...new Set(entries)])
  .meta({
    description:
      "Provider API proxy: what this client may call through `/api/proxy/{provider}/…`, as `METHODS <provider>:<path prefix>` entries. " +
      `METHODS is one of ${PROXY_METHODS.join(", ")}, a comma list of them without spaces (\`GET,POST\`), or \`*\` for all; case-insensitive. ` +
      "GET also allows HEAD. An entry without METHODS allows GET and HEAD only. The prefix matches whole path segments. " +
      "Stored in the explicit form (`google:/me` becomes `GET google:/me`); at most 50 entries, duplicates dropped. Empty or absent: nothing.",
    example: ["GET google:/calendar/v3", "GET,POST github:/repos/acme/issues"],
  });

/**
 * Whether `allow` lets a `method` call to `provider` at `path` through. `path` must have passed checkProxyPath.
 * The method is compared upper-cased (fetch leaves e.g. `patch` as sent); HEAD is allowed wherever GET is.
 * An entry that does not parse (never written by the schema) allows nothing.
 */
export function isProxyPathAllowed(allow: readonly string[], provider: string, path: string, method: string): boolean {
  return matchingEntries(allow, provider, path, method).length > 0;
}

/**
 * The provider scopes a call needs (issue 23 §3), from the allow-list entries that let it through: the most specific
 * (longest prefix) matching entry's `scope=` list; [] when it names none or nothing matches.
 */
export function proxyScopesNeeded(allow: readonly string[], provider: string, path: string, method: string): string[] {
  const [mostSpecific] = matchingEntries(allow, provider, path, method).sort((a, b) => b.prefix.length - a.prefix.length);
  return mostSpecific ? [...mostSpecific.scopes] : [];
}

function matchingEntries(allow: readonly string[], provider: string, path: string, method: string): AllowEntry[] {
  const wanted = method.toUpperCase();
  const matches: AllowEntry[] = [];
  for (const raw of allow) {
    const parsed = parseEntry(raw);
    if (!parsed.ok) continue;
    const { methods, prefix } = parsed.entry;
    if (parsed.entry.provider !== provider) continue;
    const methodAllowed = isProxyMethod(wanted) && (methods === ANY_METHOD || methods.has(wanted) || (wanted === "HEAD" && methods.has("GET")));
    if (!methodAllowed) continue;
    if (prefix === "/" || path === prefix || path.startsWith(`${prefix}/`)) matches.push(parsed.entry);
  }
  return matches;
}
