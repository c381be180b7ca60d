import { isIP } from "node:net";

/**
 * The caller's address as the nearest hop saw it: the rightmost X-Forwarded-For entry (`next start`
 * fills it from the socket when absent; a reverse proxy in front should overwrite or append it).
 */
export function clientIp(headers: { get(name: string): string | null }): string | null {
  const forwarded = headers.get("x-forwarded-for");
  const candidate = forwarded?.split(",").pop()?.trim() ?? headers.get("x-real-ip")?.trim() ?? "";
  const address = candidate.replace(/^::ffff:/, "");
  return isIP(address) ? address : null;
}
