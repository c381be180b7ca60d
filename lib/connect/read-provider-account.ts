import { PROVIDER_TIMEOUT_MS } from "@/lib/provider-tokens/provider-http";
import type { ProviderEntry } from "@/lib/providers/catalog";

/** Answers larger than this are not an account record: read no further. */
const MAX_ACCOUNT_BYTES = 256 * 1024;

export type ProviderAccount = { id: string | null; name: string | null };

/** The value at a dot path (`user.id`) as text, or null when absent or not a string or number. */
export function readPath(value: unknown, path: string): string | null {
  let current: unknown = value;
  for (const key of path.split(".")) {
    if (!current || typeof current !== "object" || !Object.hasOwn(current, key)) return null;
    current = (current as Record<string, unknown>)[key];
  }
  return typeof current === "string" || typeof current === "number" ? String(current).slice(0, 200) : null;
}

/**
 * Which account at the provider the new tokens belong to, read where the entry says: its userinfo endpoint
 * (with the new access token), or the token response itself (Notion). Best effort: a provider that is slow,
 * down or answers garbage costs the name on the page, never the connection (the tokens are already issued).
 */
export async function readProviderAccount(entry: ProviderEntry, accessToken: string, tokenResponse: Record<string, unknown>): Promise<ProviderAccount> {
  let source: unknown = tokenResponse;
  if (entry.userinfoUrl) {
    try {
      const response = await fetch(entry.userinfoUrl, {
        headers: { authorization: `Bearer ${accessToken}`, accept: "application/json" },
        signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
        redirect: "error",
        cache: "no-store",
      });
      const length = Number(response.headers.get("content-length") ?? 0);
      if (!response.ok || length > MAX_ACCOUNT_BYTES) {
        await response.body?.cancel();
        return { id: null, name: null };
      }
      const text = await response.text();
      source = text.length > MAX_ACCOUNT_BYTES ? null : JSON.parse(text);
    } catch {
      return { id: null, name: null };
    }
  }
  return { id: readPath(source, entry.account.idPath), name: readPath(source, entry.account.namePath) };
}
