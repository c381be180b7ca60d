/*
 * Redirect URIs (RFC 6749 §3.1.2, RFC 8252 for native apps). Registered ones are kept as written and a
 * presented one must equal one of them character for character, with one exception: a loopback URI
 * (`http://127.0.0.1`, `http://[::1]`, `http://localhost`) matches whatever its port, because a native app
 * listens on a port the OS picks at run time (RFC 8252 §7.3 MUST).
 */

/**
 * `http://<loopback host>[:port]<rest>`, read from the string itself rather than from `new URL`: the URL
 * parser would also turn `http://127.1` or `http://LOCALHOST` into a loopback host, and an authority with
 * userinfo (`http://127.0.0.1@evil.example`) never fits `host[:port]` followed by `/`, `?` or the end.
 */
const LOOPBACK = /^http:\/\/(127\.0\.0\.1|\[::1\]|localhost)(?::(\d{1,5}))?([/?][\x21-\x7e]*)?$/;

/** RFC 8252 §7.1: a reverse-domain-name scheme (it has a dot), such as `com.example.app:/callback`. */
const PRIVATE_USE_SCHEME = /^([a-z][a-z0-9+-]*(?:\.[a-z0-9+-]+)+):/;

type LoopbackParts = { host: string; port: number | null; rest: string };

function loopbackParts(value: string): LoopbackParts | null {
  const match = LOOPBACK.exec(value);
  if (!match) return null;
  const port = match[2] === undefined ? null : Number(match[2]);
  if (port !== null && (port < 1 || port > 65535)) return null;
  return { host: match[1]!, port, rest: match[3] ?? "" };
}

/**
 * Why `value` cannot be registered, or null when it can: absolute, printable ASCII, no fragment, no
 * credentials; https, http on a loopback host, or, for a public client only (`confidential: false`), a
 * private-use scheme. A confidential client's secret lives on a server, which has no business with an
 * OS-routed scheme any other installed app may claim.
 */
export function checkRedirectUri(value: string, client: { confidential: boolean } = { confidential: false }): string | null {
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
  if (url.protocol === "https:") return /^https:\/\//.test(value) ? null : "must be written https://…";
  if (url.protocol === "http:") {
    return loopbackParts(value) ? null : "may use http only for http://127.0.0.1, http://[::1] or http://localhost (any other host must use https)";
  }
  if (PRIVATE_USE_SCHEME.test(value)) {
    return client.confidential
      ? "with a private-use scheme (such as com.example.app:/callback) is only for public clients (native apps without a secret)"
      : null;
  }
  return "must use https, http on a loopback host, or (public clients only) a reverse-domain private-use scheme such as com.example.app:/callback";
}

/**
 * Whether `presented` names one of the app's `registered` redirect URIs: the same string, or the same
 * loopback URI on another port (same scheme, host, path and query, exactly). `localhost` only matches
 * `localhost` and each IP literal only itself: they may resolve differently on the user's machine.
 * https and private-use schemes are never port-flexible.
 */
export function matchesRegisteredRedirectUri(registered: readonly string[], presented: string): boolean {
  if (registered.includes(presented)) return true;
  if (presented.includes("#")) return false;
  const wanted = loopbackParts(presented);
  if (!wanted || !URL.canParse(presented)) return false;
  return registered.some((uri) => {
    const candidate = loopbackParts(uri);
    return candidate !== null && candidate.host === wanted.host && candidate.rest === wanted.rest;
  });
}
