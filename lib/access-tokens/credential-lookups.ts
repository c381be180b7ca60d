import { preparedStatement, queryPrepared, type PreparedStatement } from "@/lib/db/prepared-query";
import type { CredentialKind } from "./classify";

/*
 * One indexed statement per kind: the token row with everything a decision needs (its person, app or
 * client as they are NOW), in a single round trip. Plain SQL on the shared pool, no ORM work per call.
 * Prepared (lib/db/prepared-query.ts: planned once per connection, which also copes with the embedded
 * database's one shared session). Timestamps are read as UTC (Prisma stores them without a zone).
 */
const utc = (column: string, as: string) => `${column} AT TIME ZONE 'UTC' AS "${as}"`;
const PERSON = `u.id AS "userId", u.email, u.name AS "userName", u.role`;
const APP = `t."grantId", t.audience, a.id AS "applicationId", a."clientId", a.name AS "applicationName", a.status AS "applicationStatus"`;
const APP_JOINS = `JOIN "OAuthGrant" g ON g.id = t."grantId" JOIN "OAuthApplication" a ON a.id = g."applicationId" JOIN "User" u ON u.id = g."userId"`;

/**
 * The service token lookup's select list and FROM clause (its client as it is NOW), also for the statement that reads
 * a proxied call's state along with it (lib/service-clients/verify-service-call.ts, issue 26): one list, so the two
 * lookups can never decide on different columns.
 */
export const SERVICE_TOKEN_COLUMNS = `t.id, t.scopes, t."tokenHash", ${utc(`t."createdAt"`, "createdAt")}, ${utc(`t."expiresAt"`, "expiresAt")}, ${utc(`t."revokedAt"`, "revokedAt")},
    c.id AS "serviceClientId", c."clientId", c.name AS "clientName", c.permissions, c."rateLimitPerMinute", c."proxyAllow", c.status AS "clientStatus"`;
export const SERVICE_TOKEN_FROM = `FROM "ServiceAccessToken" t JOIN "ServiceClient" c ON c.id = t."serviceClientId"`;

const LOOKUP_SQL: Record<CredentialKind, PreparedStatement> = {
  pat: preparedStatement(
    "lookup_pat",
    `
    SELECT p.id, p.name, p.scopes, p."tokenHash", ${utc(`p."createdAt"`, "createdAt")}, ${utc(`p."expiresAt"`, "expiresAt")}, ${utc(`p."revokedAt"`, "revokedAt")},
           p."replacedById", p."familyId", ${PERSON}
    FROM "PersonalAccessToken" p JOIN "User" u ON u.id = p."userId"
    WHERE p."tokenHash" = $1`,
  ),
  app_access: preparedStatement(
    "lookup_app_access",
    `
    SELECT t.id, t.scopes, t."tokenHash", ${utc(`t."createdAt"`, "createdAt")}, ${utc(`t."expiresAt"`, "expiresAt")}, ${utc(`t."revokedAt"`, "revokedAt")},
           ${APP}, ${PERSON}
    FROM "OAuthAccessToken" t ${APP_JOINS}
    WHERE t."tokenHash" = $1`,
  ),
  app_refresh: preparedStatement(
    "lookup_app_refresh",
    `
    SELECT t.id, t.scopes, t."tokenHash", ${utc(`t."createdAt"`, "createdAt")}, ${utc(`t."expiresAt"`, "expiresAt")}, ${utc(`t."revokedAt"`, "revokedAt")},
           ${utc(`t."usedAt"`, "usedAt")}, t."familyId", ${APP}, ${PERSON}
    FROM "OAuthRefreshToken" t ${APP_JOINS}
    WHERE t."tokenHash" = $1`,
  ),
  service: preparedStatement("lookup_service_token", `SELECT ${SERVICE_TOKEN_COLUMNS} ${SERVICE_TOKEN_FROM} WHERE t."tokenHash" = $1`),
};

type TokenColumns = { id: string; scopes: string[]; tokenHash: string; createdAt: Date; expiresAt: Date; revokedAt: Date | null };
type PersonColumns = { userId: string; email: string | null; userName: string | null; role: "USER" | "ADMIN" };
type AppColumns = {
  grantId: string;
  audience: string;
  applicationId: string;
  clientId: string;
  applicationName: string;
  applicationStatus: "ACTIVE" | "DISABLED";
};

export type CredentialRows = {
  pat: TokenColumns & PersonColumns & { name: string; replacedById: string | null; familyId: string | null };
  app_access: TokenColumns & PersonColumns & AppColumns;
  app_refresh: TokenColumns & PersonColumns & AppColumns & { usedAt: Date | null; familyId: string };
  service: TokenColumns & {
    serviceClientId: string;
    clientId: string;
    clientName: string;
    permissions: string[];
    rateLimitPerMinute: number;
    proxyAllow: string[];
    clientStatus: "ACTIVE" | "DISABLED";
  };
};

/** The row stored under `tokenHash` for that kind, or undefined. Exactly one query. */
export async function lookupCredential<K extends CredentialKind>(kind: K, tokenHash: string): Promise<CredentialRows[K] | undefined> {
  const { rows } = await queryPrepared<CredentialRows[K]>(LOOKUP_SQL[kind], [tokenHash]);
  return rows[0];
}
