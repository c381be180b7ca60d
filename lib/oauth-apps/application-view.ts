import type { OAuthApplication } from "@/lib/db/generated/client";

/** What any response may say about an application. An explicit mapper: a secret hash never leaks by accident. */
export type ApplicationView = {
  id: string;
  clientId: string;
  name: string;
  description: string | null;
  homepageUrl: string | null;
  redirectUris: string[];
  confidential: boolean;
  status: "active" | "disabled";
  secretHint: string | null;
  previousSecretExpiresAt: string | null;
  createdAt: string;
  authorizedUsers: number;
};

export function toApplicationView(row: OAuthApplication, authorizedUsers: number, now = new Date()): ApplicationView {
  const overlapLive = row.previousSecretExpiresAt && row.previousSecretExpiresAt.getTime() > now.getTime();
  return {
    id: row.id,
    clientId: row.clientId,
    name: row.name,
    description: row.description,
    homepageUrl: row.homepageUrl,
    redirectUris: row.redirectUris,
    confidential: row.confidential,
    status: row.status === "ACTIVE" ? "active" : "disabled",
    secretHint: row.secretHint,
    previousSecretExpiresAt: overlapLive ? row.previousSecretExpiresAt!.toISOString() : null,
    createdAt: row.createdAt.toISOString(),
    authorizedUsers,
  };
}
