/** Only same-site relative paths may be redirect targets after sign-in (no open redirects). */
export function safeCallbackPath(value: unknown, fallback = "/settings/connections"): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.includes("\\")) return fallback;
  return value.slice(0, 512);
}
