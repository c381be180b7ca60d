export const DEFAULT_CALLBACK_PATH = "/settings/connections";

// Parsing base for relative paths only; any other origin after parsing means the value escaped the app.
const PLACEHOLDER_ORIGIN = "http://tessera.invalid";
const MAX_LENGTH = 512;
// Browsers strip tabs and newlines from URLs and treat "\" like "/": "/\t/evil.example" becomes "//evil.example".
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\\\s\u200b-\u200f\u2028\u2029\ufeff]/u;
// Enough for double (and triple) encoding; a value that still changes after that is refused.
const MAX_DECODE_ROUNDS = 4;

/**
 * True when every percent-decoding layer of the value is free of control characters, whitespace and
 * backslashes and none of them starts like a protocol-relative URL ("//", "/\").
 */
function isCleanAtEveryLayer(value: string): boolean {
  let layer = value;
  for (let round = 0; round <= MAX_DECODE_ROUNDS; round++) {
    if (FORBIDDEN.test(layer) || layer.startsWith("//") || !layer.startsWith("/")) return false;
    let decoded: string;
    try {
      decoded = decodeURIComponent(layer);
    } catch {
      return false; // malformed escapes: nothing legitimate needs them in a callback
    }
    if (decoded === layer) return true;
    layer = decoded;
  }
  return false;
}

/**
 * A same-origin path (with query and fragment) that is safe to redirect to after sign-in, or the fallback.
 * Only relative paths are accepted; use `safeRedirectUrl` where an absolute same-origin URL may arrive.
 */
export function safeCallbackPath(value: unknown, fallback = DEFAULT_CALLBACK_PATH): string {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_LENGTH) return fallback;
  if (!isCleanAtEveryLayer(value)) return fallback;
  let parsed: URL;
  try {
    parsed = new URL(value, PLACEHOLDER_ORIGIN);
  } catch {
    return fallback;
  }
  if (parsed.origin !== PLACEHOLDER_ORIGIN) return fallback;
  const path = `${parsed.pathname}${parsed.search}${parsed.hash}`;
  // Normalisation ("/./evil" → "/evil", "/..//x" → "//x") must not produce what the raw checks refused.
  if (!isCleanAtEveryLayer(path)) return fallback;
  return path;
}

/**
 * For Auth.js `callbacks.redirect`: an absolute URL on `baseUrl` (the app's origin) for a relative path or a
 * same-origin URL that passes `safeCallbackPath`; the app's default page otherwise.
 */
export function safeRedirectUrl(url: string, baseUrl: string, fallback = DEFAULT_CALLBACK_PATH): string {
  const origin = new URL(baseUrl).origin;
  let candidate: string | null = null;
  if (url.startsWith("/")) candidate = url;
  else {
    try {
      const parsed = new URL(url);
      if (parsed.origin === origin && !FORBIDDEN.test(url)) candidate = `${parsed.pathname}${parsed.search}${parsed.hash}`;
    } catch {
      candidate = null;
    }
  }
  return `${origin}${safeCallbackPath(candidate, fallback)}`;
}
