import type { ProviderClient } from "@/lib/providers/catalog";
import { clientAuth, postForm } from "./provider-http";

export type RevocationOutcome =
  | { status: "revoked" }
  | { status: "not_supported"; reason: string }
  | { status: "failed"; reason: string }
  | { status: "nothing_to_revoke" };

/**
 * Revokes a grant at the provider: RFC 7009 (Google, the demo IdP) for the refresh token, which ends
 * the grant, else the access token; GitHub's token API; Microsoft has no such endpoint.
 */
export async function revokeAtProvider(client: ProviderClient, tokens: { accessToken: string | null; refreshToken: string | null }): Promise<RevocationOutcome> {
  const revocation = client.revocation;
  if (revocation.kind === "unsupported") return { status: "not_supported", reason: revocation.reason };
  const token = tokens.refreshToken ?? tokens.accessToken;
  if (!token) return { status: "nothing_to_revoke" };
  try {
    if (revocation.kind === "github") {
      if (!tokens.accessToken) return { status: "nothing_to_revoke" };
      const basic = Buffer.from(`${client.clientId}:${client.clientSecret}`).toString("base64");
      const response = await fetch(revocation.url, {
        method: "DELETE",
        headers: { authorization: `Basic ${basic}`, accept: "application/vnd.github+json", "content-type": "application/json" },
        body: JSON.stringify({ access_token: tokens.accessToken }),
        signal: AbortSignal.timeout(10_000),
      });
      return response.ok || response.status === 404 ? { status: "revoked" } : { status: "failed", reason: `GitHub answered ${response.status}` };
    }
    const body = new URLSearchParams({ token, token_type_hint: tokens.refreshToken ? "refresh_token" : "access_token" });
    const response = await postForm(revocation.url, body, clientAuth(client, body));
    // RFC 7009 §2.2: 200 also for tokens that were already invalid.
    return response.ok ? { status: "revoked" } : { status: "failed", reason: `provider answered ${response.status}` };
  } catch {
    return { status: "failed", reason: "provider could not be reached" };
  }
}
