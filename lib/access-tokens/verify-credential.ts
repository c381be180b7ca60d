import { digestsEqual } from "@/lib/crypto";
import { classifyCredential, type CredentialKind, type FormatFailure } from "./classify";
import { lookupCredential, type CredentialRows } from "./credential-lookups";
import { hashCredentialSecret } from "./hash";

export type CredentialUser = { id: string; email: string | null; name: string | null; role: "USER" | "ADMIN" };
export type CredentialApp = { id: string; clientId: string; name: string };
/** A live service access token; its client as it is NOW (permissions and allow-list may have changed since issue). */
export type ServiceTokenRecord = {
  id: string;
  scopes: string[];
  createdAt: Date;
  expiresAt: Date;
  client: { id: string; clientId: string; name: string; permissions: string[]; rateLimitPerMinute: number; proxyAllow: string[] };
};
type TokenFields = { id: string; scopes: string[]; createdAt: Date; expiresAt: Date };

export type CredentialPrincipal =
  | { kind: "pat"; token: TokenFields & { name: string }; user: CredentialUser }
  /** `token.name` is the application's name (what lists and audit show for an app token). */
  /** `token.audience`: the path of the protected resource it was issued for (RFC 8707). */
  | { kind: "app_access"; token: TokenFields & { name: string; audience: string }; user: CredentialUser; app: CredentialApp; grantId: string }
  | { kind: "app_refresh"; token: TokenFields & { familyId: string; audience: string }; user: CredentialUser; app: CredentialApp; grantId: string }
  | { kind: "service"; token: ServiceTokenRecord };

/** Format failures never reached the database; `not_accepted`: a valid-looking credential of a kind the caller does not take. */
export type CredentialFailureReason = FormatFailure | "not_accepted" | "not_found" | "revoked" | "expired" | "used" | "disabled";

/** A rotated-out PAT presented after its overlap: the caller revokes its whole family (reuse detection). */
export type RotatedOutPat = { id: string; userId: string; familyId: string; name: string };

export type CredentialFailure = { ok: false; reason: CredentialFailureReason; kind?: CredentialKind; checkedDatabase: boolean; rotatedOut?: RotatedOutPat };
export type CredentialResult = { ok: true; principal: CredentialPrincipal } | CredentialFailure;

export type VerifyCredentialOptions = { now?: Date; accept?: readonly CredentialKind[] };

/**
 * The one verifier for every Tessera credential, top to bottom, early returns (Unkey's verifyKey):
 * classify by prefix and checksum (junk ends here, without a query) → hash → one indexed lookup for
 * that kind → constant-time compare → revoked / used / app or client disabled / expired. Nothing is
 * cached, so a revocation holds on the next request in every instance. It decides and writes nothing:
 * noting a use or revoking a reused PAT family is the caller's (introspection must not count as a use).
 */
export async function verifyCredential(presented: string | null | undefined, options: VerifyCredentialOptions = {}): Promise<CredentialResult> {
  const hashed = hashPresentedCredential(presented, options.accept);
  if (!hashed.ok) return hashed;
  const { kind, tokenHash } = hashed;
  const now = options.now ?? new Date();
  const refuse = (reason: CredentialFailureReason, extra: Partial<CredentialFailure> = {}): CredentialFailure => ({
    ok: false,
    reason,
    kind,
    checkedDatabase: true,
    ...extra,
  });
  const expired = (row: { expiresAt: Date }) => row.expiresAt.getTime() <= now.getTime();

  switch (kind) {
    case "pat": {
      const row = await lookupCredential("pat", tokenHash);
      if (!row || !digestsEqual(row.tokenHash, tokenHash)) return refuse("not_found");
      const rotatedOut =
        (row.revokedAt !== null || expired(row)) && row.replacedById && row.familyId
          ? { id: row.id, userId: row.userId, familyId: row.familyId, name: row.name }
          : undefined;
      if (row.revokedAt) return refuse("revoked", { rotatedOut });
      if (expired(row)) return refuse("expired", { rotatedOut });
      return {
        ok: true,
        principal: { kind, token: { id: row.id, name: row.name, scopes: row.scopes, createdAt: row.createdAt, expiresAt: row.expiresAt }, user: userOf(row) },
      };
    }
    case "app_access": {
      // Revoking the grant or deleting the app deletes the row (cascade): those are not_found.
      const row = await lookupCredential("app_access", tokenHash);
      if (!row || !digestsEqual(row.tokenHash, tokenHash)) return refuse("not_found");
      if (row.revokedAt) return refuse("revoked");
      if (row.applicationStatus !== "ACTIVE") return refuse("disabled");
      if (expired(row)) return refuse("expired");
      const token = { id: row.id, name: row.applicationName, scopes: row.scopes, createdAt: row.createdAt, expiresAt: row.expiresAt, audience: row.audience };
      return { ok: true, principal: { kind, token, user: userOf(row), app: appOf(row), grantId: row.grantId } };
    }
    case "app_refresh": {
      const row = await lookupCredential("app_refresh", tokenHash);
      if (!row || !digestsEqual(row.tokenHash, tokenHash)) return refuse("not_found");
      if (row.revokedAt) return refuse("revoked");
      if (row.usedAt) return refuse("used");
      if (row.applicationStatus !== "ACTIVE") return refuse("disabled");
      if (expired(row)) return refuse("expired");
      const token = { id: row.id, scopes: row.scopes, createdAt: row.createdAt, expiresAt: row.expiresAt, familyId: row.familyId, audience: row.audience };
      return { ok: true, principal: { kind, token, user: userOf(row), app: appOf(row), grantId: row.grantId } };
    }
    case "service": {
      const decided = decideServiceToken(await lookupCredential("service", tokenHash), tokenHash, now);
      return decided.ok ? { ok: true, principal: { kind, token: decided.token } } : refuse(decided.reason);
    }
  }
}

/**
 * The service branch's decision on its looked-up row, top to bottom. Shared with the statement that reads a proxied
 * call's state along with the lookup (lib/service-clients/verify-service-call.ts): the same row, the same decision.
 */
export function decideServiceToken(
  row: CredentialRows["service"] | undefined,
  tokenHash: string,
  now: Date,
): { ok: true; token: ServiceTokenRecord } | { ok: false; reason: "not_found" | "revoked" | "disabled" | "expired" } {
  // Deleting the client deletes its tokens (cascade): not_found.
  if (!row || !digestsEqual(row.tokenHash, tokenHash)) return { ok: false, reason: "not_found" };
  if (row.revokedAt) return { ok: false, reason: "revoked" };
  if (row.clientStatus !== "ACTIVE") return { ok: false, reason: "disabled" };
  if (row.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: "expired" };
  const client = {
    id: row.serviceClientId,
    clientId: row.clientId,
    name: row.clientName,
    permissions: row.permissions,
    rateLimitPerMinute: row.rateLimitPerMinute,
    proxyAllow: row.proxyAllow,
  };
  return { ok: true, token: { id: row.id, scopes: row.scopes, createdAt: row.createdAt, expiresAt: row.expiresAt, client } };
}

/**
 * verifyCredential's first steps, also for callers that run their own statement (the proxy's door): classify by prefix
 * and checksum, refuse a kind not in `accept` (every kind when absent), hash. No query is made.
 */
export function hashPresentedCredential(
  presented: string | null | undefined,
  accept?: readonly CredentialKind[],
): { ok: true; kind: CredentialKind; tokenHash: string } | CredentialFailure {
  const classified = classifyCredential(presented);
  if (!classified.ok) return { ok: false, reason: classified.reason, checkedDatabase: false };
  const { kind, secret } = classified;
  if (accept && !accept.includes(kind)) return { ok: false, reason: "not_accepted", kind, checkedDatabase: false };
  return { ok: true, kind, tokenHash: hashCredentialSecret(secret) };
}

const userOf = (row: CredentialRows["pat" | "app_access" | "app_refresh"]): CredentialUser => ({
  id: row.userId,
  email: row.email,
  name: row.userName,
  role: row.role,
});
const appOf = (row: CredentialRows["app_access" | "app_refresh"]): CredentialApp => ({
  id: row.applicationId,
  clientId: row.clientId,
  name: row.applicationName,
});

/** The kind and stored hash of a presented credential, whatever its state: revocation must reach tokens verification refuses. */
export function presentedCredentialHash(presented: string | null | undefined): { kind: CredentialKind; tokenHash: string } | null {
  const hashed = hashPresentedCredential(presented);
  return hashed.ok ? { kind: hashed.kind, tokenHash: hashed.tokenHash } : null;
}
