import type { OAuthApplication } from "@/lib/db/generated/client";
import { defaultScopesOf } from "./app-scopes";

/** What any response may say about an application. An explicit mapper: a secret hash never leaks by accident. */
export type ApplicationView = {
  id: string;
  clientId: string;
  name: string;
  description: string | null;
  homepageUrl: string | null;
  redirectUris: string[];
  /** What an authorization request without `scope` asks for (RFC 6749 §3.3). */
  defaultScopes: string[];
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
    defaultScopes: defaultScopesOf(row.defaultScopes),
    confidential: row.confidential,
    status: row.status === "ACTIVE" ? "active" : "disabled",
    secretHint: row.secretHint,
    previousSecretExpiresAt: overlapLive ? row.previousSecretExpiresAt!.toISOString() : null,
    createdAt: row.createdAt.toISOString(),
    authorizedUsers,
  };
}
