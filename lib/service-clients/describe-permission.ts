import { providerLabel } from "@/lib/providers/catalog";

/** A service permission in words for admins (issue 25 §6: not bare codes); an unknown one is shown as it is. */
export function describePermission(permission: string): string {
  if (permission === "credentials:*:read") return "Obtain people's access tokens at any provider";
  if (permission === "proxy:*") return "Call any provider's API through Tessera";
  if (permission === "tokens:introspect") return "Check whether a Tessera token is valid";
  const credentials = /^credentials:([a-z0-9-]+):read$/.exec(permission)?.[1];
  if (credentials) return `Obtain people's ${providerLabel(credentials)} access tokens`;
  const proxy = /^proxy:([a-z0-9-]+)$/.exec(permission)?.[1];
  if (proxy) return `Call ${providerLabel(proxy)}'s API through Tessera`;
  return permission;
}
