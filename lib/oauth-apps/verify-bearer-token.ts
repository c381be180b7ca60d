import { verifyCredential, type CredentialFailureReason } from "@/lib/access-tokens/verify-credential";
import { noteGrantUse } from "./note-grant-use";
import { getMetrics } from "@/lib/metrics/metrics";
import { noteTokenUse } from "@/lib/pat/record-token-use";
import { detectPatReuse, type VerifyFailure, type VerifyResult } from "@/lib/pat/verify-token";

/** A person's bearer credential: a PAT, or a third-party application's access token acting for them. */
const BEARER_KINDS = ["pat", "app_access"] as const;

/** The reasons API callers and the verification metric have always used. */
function failureOf(reason: CredentialFailureReason): VerifyFailure {
  if (reason === "not_found" || reason === "revoked" || reason === "expired") return reason;
  // An app (or client) switched off reads as its token revoked; anything that failed its format, or is another kind, as malformed.
  return reason === "disabled" || reason === "used" ? "revoked" : "malformed";
}

/**
 * Lives here, the higher of the two folders whose effects it runs (lib/pat never imports lib/oauth-apps).
 * The check on every API call with a bearer token (and the token exchange's subject_token):
 * verifyCredential, then what a check leads to — the use noted off the response's path (the PAT's
 * lastUsedAt / recent clients, the grant's lastUsedAt), a reused rotated-out PAT's family revoked, and
 * the outcome counted. No query besides verifyCredential's one lookup on the response's path.
 * `audience`: the protected resource checking (its path, lib/oauth-apps/protected-resources.ts): an app's
 * token issued for another resource is refused like an unknown one (RFC 8707, RFC 6750 invalid_token),
 * and no use is noted. A PAT has no audience: it is for the API, as always.
 */
export async function verifyBearerToken(
  presented: string | null | undefined,
  context: { ip: string | null; now?: Date; audience?: string },
): Promise<VerifyResult> {
  const now = context.now ?? new Date();
  const result = await verifyCredential(presented, { now, accept: BEARER_KINDS });
  let outcome: VerifyResult;
  if (!result.ok) {
    if (result.rotatedOut) await detectPatReuse(result.rotatedOut, context.ip, now);
    outcome = { ok: false, reason: failureOf(result.reason), checkedDatabase: result.checkedDatabase };
  } else if (result.principal.kind === "pat") {
    const { token, user } = result.principal;
    noteTokenUse(token.id, context.ip, now);
    outcome = { ok: true, token: { id: token.id, name: token.name, scopes: token.scopes, expiresAt: token.expiresAt }, user };
  } else if (result.principal.kind === "app_access" && context.audience !== undefined && result.principal.token.audience !== context.audience) {
    outcome = { ok: false, reason: "not_found", checkedDatabase: true };
  } else if (result.principal.kind === "app_access") {
    const { token, user, app, grantId } = result.principal;
    noteGrantUse(grantId, now);
    outcome = { ok: true, token: { id: token.id, name: token.name, scopes: token.scopes, expiresAt: token.expiresAt }, user, app };
  } else {
    outcome = { ok: false, reason: "malformed", checkedDatabase: false };
  }
  getMetrics().patVerifications.inc({ outcome: outcome.ok ? "ok" : outcome.reason });
  return outcome;
}
