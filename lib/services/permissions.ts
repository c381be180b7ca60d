import { PROVIDER_IDS } from "@/lib/providers/catalog";

/** What a service client may do. `credentials:<provider>:read` lets it exchange for a user's access token at that provider. */
export const SERVICE_PERMISSIONS = [...PROVIDER_IDS.map((id) => `credentials:${id}:read` as const), "credentials:*:read", "tokens:introspect"] as const;

export type ServicePermission = (typeof SERVICE_PERMISSIONS)[number];

export function isServicePermission(value: unknown): value is ServicePermission {
  return typeof value === "string" && (SERVICE_PERMISSIONS as readonly string[]).includes(value);
}

/** Whether these permissions allow reading a user's token at `provider`. */
export function allowsProvider(permissions: readonly string[], provider: string): boolean {
  return permissions.includes("credentials:*:read") || permissions.includes(`credentials:${provider}:read`);
}
