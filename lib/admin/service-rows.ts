import type { ServiceClientListItem } from "@/lib/service-clients/list-service-clients";
import { describePermission } from "@/lib/service-clients/describe-permission";
import { SERVICE_PERMISSIONS } from "@/lib/service-clients/permissions";
import { formatDateTime, formatRelativeTime } from "@/lib/ui/format";

/** Services as the admin services panel shows them (the list and a service's detail page). */
export function toServiceRows(services: ServiceClientListItem[]) {
  return services.map((service) => ({
    id: service.id,
    clientId: service.clientId,
    name: service.name,
    permissions: service.permissions,
    proxyAllow: service.proxyAllow,
    status: service.status,
    lastUsed: service.lastUsedAt ? formatRelativeTime(service.lastUsedAt) : "never",
    exchangesLast24h: service.exchangesLast24h,
    previousSecretExpires: service.previousSecretExpiresAt ? formatDateTime(service.previousSecretExpiresAt) : null,
  }));
}

/** Every permission a form offers or a service holds, in words. */
export function servicePermissionWords(services: ServiceClientListItem[]): Record<string, string> {
  return Object.fromEntries([...SERVICE_PERMISSIONS, ...services.flatMap((service) => service.permissions)].map((p) => [p, describePermission(p)]));
}
