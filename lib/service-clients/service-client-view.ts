import type { ServiceClient } from "@/lib/db/generated/client";

export type ServiceClientView = {
  id: string;
  clientId: string;
  name: string;
  description: string | null;
  permissions: string[];
  status: "active" | "disabled";
  secretHint: string;
  previousSecretExpiresAt: Date | null;
  rateLimitPerMinute: number;
  /** Provider API proxy allow-list (`<provider>:<path prefix>`). */
  proxyAllow: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
};

/** The only shape a service client leaves lib/ in: never a hash. */
export function toServiceClientView(row: ServiceClient): ServiceClientView {
  return {
    id: row.id,
    clientId: row.clientId,
    name: row.name,
    description: row.description,
    permissions: row.permissions,
    status: row.status === "ACTIVE" ? "active" : "disabled",
    secretHint: row.secretHint,
    previousSecretExpiresAt: row.previousSecretExpiresAt && row.previousSecretExpiresAt > new Date() ? row.previousSecretExpiresAt : null,
    rateLimitPerMinute: row.rateLimitPerMinute,
    proxyAllow: row.proxyAllow,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
  };
}
