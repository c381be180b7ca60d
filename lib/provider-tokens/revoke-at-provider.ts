import type { ProviderClient } from "@/lib/providers/catalog";
import { clientAuth, postForm, readJson } from "./provider-http";

export type RevocationOutcome =
  { status: "revoked" } | { status: "not_supported"; reason: string } | { status: "failed"; reason: string } | { status: "nothing_to_revoke" };

/**
 * Revokes a grant at the provider: RFC 7009 (Google, the demo IdP) for the refresh token, which ends
 * the grant, else the access token; GitHub's grant API (which also kills a GitHub App's refresh token);
 * the access token itself authenticating the call (Slack's auth.revoke, Dropbox's token/revoke); Microsoft has
 * no such endpoint. "nothing_to_revoke" only when no token at all was held.
 */
export async function revokeAtProvider(
  client: ProviderClient,
  tokens: { accessToken: string | null; refreshToken: string | null },
): Promise<RevocationOutcome> {
  const revocation = client.revocation;
  if (revocation.kind === "unsupported") return { status: "not_supported", reason: revocation.reason };
  const token = tokens.refreshToken ?? tokens.accessToken;
  if (!token) return { status: "nothing_to_revoke" };
  try {
    if (revocation.kind === "github") return await revokeGithubGrant(client, revocation.url, tokens);
    if (revocation.kind === "bearer") return await revokeWithBearer(client, revocation.url, tokens);
    const body = new URLSearchParams({ token, token_type_hint: tokens.refreshToken ? "refresh_token" : "access_token" });
    const response = await postForm(revocation.url, body, clientAuth(client, body));
    // RFC 7009 §2.2: 200 also for tokens that were already invalid.
    return response.ok ? { status: "revoked" } : { status: "failed", reason: `provider answered ${response.status}` };
  } catch {
    return { status: "failed", reason: "provider could not be reached" };
  }
}

/**
 * `DELETE /applications/{client_id}/grant` with `{ access_token }` and Basic client auth. The grant API
 * needs a live access token: with only a refresh token (a GitHub App's expired access token), one is
 * obtained first. 404 means GitHub no longer knows the access token.
 */
async function revokeGithubGrant(
  client: ProviderClient,
  url: string,
  tokens: { accessToken: string | null; refreshToken: string | null },
): Promise<RevocationOutcome> {
  if (tokens.accessToken) {
    const status = await deleteGithubGrant(client, url, tokens.accessToken);
    if (status === 204 || status === 200) return { status: "revoked" };
    if (status !== 404) return { status: "failed", reason: `GitHub answered ${status}` };
    // Unknown token and nothing else to try: the grant is gone already (revoked at github.com, or an OAuth App token deleted).
    if (!tokens.refreshToken) return { status: "revoked" };
  }
  if (!tokens.refreshToken) return { status: "nothing_to_revoke" };
  const fresh = await accessTokenFromRefresh(client, tokens.refreshToken);
  if (!fresh.ok) {
    return {
      status: "failed",
      reason: "GitHub refused the stored refresh token, so the grant could not be revoked from here; revoke it in GitHub's settings if it still exists",
    };
  }
  const status = await deleteGithubGrant(client, url, fresh.accessToken);
  return status === 204 || status === 200 ? { status: "revoked" } : { status: "failed", reason: `GitHub answered ${status}` };
}

async function deleteGithubGrant(client: ProviderClient, url: string, accessToken: string): Promise<number> {
  const basic = Buffer.from(`${client.clientId}:${client.clientSecret}`).toString("base64");
  const response = await fetch(url, {
    method: "DELETE",
    headers: { authorization: `Basic ${basic}`, accept: "application/vnd.github+json", "content-type": "application/json" },
    body: JSON.stringify({ access_token: accessToken }),
    signal: AbortSignal.timeout(10_000),
  });
  return response.status;
}

/**
 * Revocation where the access token authenticates its own revocation (kind "bearer"): POST with
 * `Authorization: Bearer`; such providers end the whole grant with it. An expired access token (401) is traded
 * for a fresh one with the refresh token first, as for GitHub's grant API, so the grant does not outlive a disconnect.
 */
async function revokeWithBearer(
  client: ProviderClient,
  url: string,
  tokens: { accessToken: string | null; refreshToken: string | null },
): Promise<RevocationOutcome> {
  if (tokens.accessToken) {
    const status = await postBearer(url, tokens.accessToken);
    if (status >= 200 && status < 300) return { status: "revoked" };
    if (status !== 401 || !tokens.refreshToken) return { status: "failed", reason: `provider answered ${status}` };
  }
  if (!tokens.refreshToken) return { status: "nothing_to_revoke" };
  const fresh = await accessTokenFromRefresh(client, tokens.refreshToken);
  // 400 (invalid_grant): the provider refused the refresh token too, so nothing of the grant works any more.
  if (!fresh.ok && fresh.status === 400) return { status: "revoked" };
  if (!fresh.ok) return { status: "failed", reason: `provider answered ${fresh.status} to the refresh before revocation` };
  const status = await postBearer(url, fresh.accessToken);
  return status >= 200 && status < 300 ? { status: "revoked" } : { status: "failed", reason: `provider answered ${status}` };
}

/** A live access token from the stored refresh token, for revocations that need one (GitHub's grant API, bearer kinds). */
async function accessTokenFromRefresh(
  client: ProviderClient,
  refreshToken: string,
): Promise<{ ok: true; accessToken: string } | { ok: false; status: number }> {
  const body = new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken });
  const refreshed = await postForm(client.tokenUrl, body, clientAuth(client, body));
  const accessToken = refreshed.ok ? (await readJson(refreshed)).access_token : undefined;
  return typeof accessToken === "string" && accessToken ? { ok: true, accessToken } : { ok: false, status: refreshed.status };
}

async function postBearer(url: string, accessToken: string): Promise<number> {
  const response = await fetch(url, {
    method: "POST",
    headers: { authorization: `Bearer ${accessToken}`, accept: "application/json" },
    signal: AbortSignal.timeout(10_000),
    redirect: "error",
  });
  await response.body?.cancel();
  return response.status;
}
