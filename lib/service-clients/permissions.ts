import { findCatalogueEntry, PROVIDER_IDS } from "@/lib/providers/catalog";

/**
 * What a service client may do. `credentials:<provider>:read` lets it exchange for a user's access token at
 * that provider; `proxy:<provider>` lets it call that provider's API through Tessera's proxy (issue 11).
 */
export const SERVICE_PERMISSIONS = [
  ...PROVIDER_IDS.map((id) => `credentials:${id}:read` as const),
  "credentials:*:read",
  "tokens:introspect",
  ...PROVIDER_IDS.map((id) => `proxy:${id}` as const),
  "proxy:*",
] as const;

export type ServicePermission = (typeof SERVICE_PERMISSIONS)[number];

/**
 * The fixed list above, or the same two permissions for a connect-only catalogue entry (issue 23), which is data
 * and so has no place in a compile-time list: `credentials:slack:read`, `proxy:slack`.
 */
export function isServicePermission(value: unknown): value is string {
  if (typeof value !== "string") return false;
  if ((SERVICE_PERMISSIONS as readonly string[]).includes(value)) return true;
  const provider = /^credentials:([a-z0-9-]+):read$/.exec(value)?.[1] ?? /^proxy:([a-z0-9-]+)$/.exec(value)?.[1];
  return provider !== undefined && findCatalogueEntry(provider) !== null;
}

/** Whether these permissions allow reading a user's token at `provider`. */
export function allowsProvider(permissions: readonly string[], provider: string): boolean {
  return permissions.includes("credentials:*:read") || permissions.includes(`credentials:${provider}:read`);
}

/** Whether these permissions allow proxied calls to `provider`'s API. */
export function allowsProxy(permissions: readonly string[], provider: string): boolean {
  return permissions.includes("proxy:*") || permissions.includes(`proxy:${provider}`);
}
