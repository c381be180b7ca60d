import { issuerFor } from "@/lib/oauth/authorization-server-metadata";

type HeaderReader = { get(name: string): string | null };

const SAFE_URL = /^https?:\/\/[A-Za-z0-9.\-:[\]]+$/;

/**
 * This server's URL for the reference's `servers` and curl examples: AUTH_URL's origin when set,
 * else the scheme and Host of the request (Host checked by issuerFor). Whatever ends up in a shell
 * command a reader copies must be a plain origin: anything else falls back to `fallbackOrigin`.
 */
export function referenceServerUrl(headers: HeaderReader, fallbackOrigin: string, env: Readonly<Record<string, string | undefined>> = process.env): string {
  const url = issuerFor(headers, fallbackOrigin, env);
  if (SAFE_URL.test(url)) return url;
  return SAFE_URL.test(fallbackOrigin) ? fallbackOrigin : "http://localhost:3000";
}
