import { expect, it } from "vitest";
import type { Account } from "next-auth";
import { recordSignIn } from "@/lib/auth/record-sign-in";
import { getDb } from "@/lib/db/client";
import { deriveGithubUserId } from "@/lib/idp/demo-users";
import { introspectToken, obtainTokensByCodeFlow, refreshAtIdp } from "@/lib/idp/testing/obtain-tokens-by-code-flow";
import { ACCESS_TOKEN, REFRESH_TOKEN } from "@/lib/provider-tokens/token-names";
import { getToken } from "../helpers/provider-token-rows";
import { revokeAtProvider } from "@/lib/provider-tokens/revoke-at-provider";
import { DEMO_CLIENT_IDS, getProviderClient, type ProviderId } from "@/lib/providers/catalog";
import { createUser } from "../helpers/fixtures";
import { TEST_APP_URL, TEST_IDP_SECRET, startDemoIdpForFile } from "../helpers/demo-idp";
import { describeOnEachDatabase } from "../helpers/test-database";

const demoIdp = startDemoIdpForFile();

async function tokensFor(provider: ProviderId, login: string) {
  return obtainTokensByCodeFlow({
    issuer: demoIdp().issuer,
    clientId: DEMO_CLIENT_IDS[provider],
    clientSecret: TEST_IDP_SECRET,
    redirectUri: `${TEST_APP_URL}/api/auth/callback/${provider}`,
    login,
    scope: provider === "github" ? "read:user repo" : "openid email profile offline_access",
  });
}

const refreshStatus = async (provider: ProviderId, refreshToken: string) =>
  (await refreshAtIdp(demoIdp().issuer, DEMO_CLIENT_IDS[provider], TEST_IDP_SECRET, refreshToken)).status;
const isActive = async (provider: ProviderId, token: string) =>
  (await introspectToken(demoIdp().issuer, DEMO_CLIENT_IDS[provider], TEST_IDP_SECRET, token)).active;

describeOnEachDatabase("provider grants are really revoked", () => {
  it("GitHub: revocation deletes the whole grant (DELETE /applications/{client_id}/grant), refresh token included", async () => {
    const tokens = await tokensFor("github", "alice");
    const before = demoIdp().counters.githubGrantRevocations;
    expect(await revokeAtProvider(getProviderClient("github")!, { accessToken: tokens.access_token, refreshToken: tokens.refresh_token! })).toEqual({
      status: "revoked",
    });
    expect(demoIdp().counters.githubGrantRevocations).toBe(before + 1);
    expect(await isActive("github", tokens.access_token)).toBe(false);
    expect(await refreshStatus("github", tokens.refresh_token!)).toBe(400);
  });

  it("GitHub with only a refresh token (expired access token): the grant is still revoked, never 'nothing to revoke'", async () => {
    // Guard: the refresh-then-DELETE branch of revokeGithubGrant in lib/provider-tokens/revoke-at-provider.ts.
    const tokens = await tokensFor("github", "bob");
    const before = demoIdp().counters.githubGrantRevocations;
    expect(await revokeAtProvider(getProviderClient("github")!, { accessToken: null, refreshToken: tokens.refresh_token! })).toEqual({ status: "revoked" });
    expect(demoIdp().counters.githubGrantRevocations).toBe(before + 1);
    expect(await isActive("github", tokens.access_token)).toBe(false);
  });

  it("GitHub with a refresh token the provider refuses: reported as failed, not as success", async () => {
    const outcome = await revokeAtProvider(getProviderClient("github")!, { accessToken: null, refreshToken: "not-a-real-refresh-token" });
    expect(outcome.status).toBe("failed");
  });

  it("a second account of the same provider does not silently overwrite the first account's tokens: their grant is revoked and audited", async () => {
    const user = await createUser({ email: "two-accounts@example.com" });
    const signInWith = async (login: string) => {
      const tokens = await tokensFor("github", login);
      const account: Account = {
        provider: "github",
        type: "oauth",
        providerAccountId: String(deriveGithubUserId(login)),
        access_token: tokens.access_token,
        refresh_token: tokens.refresh_token,
        expires_at: Math.floor(Date.now() / 1000) + tokens.expires_in,
        scope: tokens.scope,
        token_type: "bearer",
      };
      await recordSignIn({ userId: user.id, email: user.email, account });
      return tokens;
    };

    const first = await signInWith("carol");
    expect(await getToken(user.id, "github", ACCESS_TOKEN)).toBe(first.access_token);
    const before = demoIdp().counters.githubGrantRevocations;

    // Same account again: nothing is revoked.
    const again = await signInWith("carol");
    expect(demoIdp().counters.githubGrantRevocations).toBe(before);
    expect(await refreshStatus("github", first.refresh_token!)).toBe(200); // the first grant is alive (and just rotated)

    const second = await signInWith("dave");
    expect(demoIdp().counters.githubGrantRevocations).toBe(before + 1);
    expect(await isActive("github", again.access_token)).toBe(false);
    expect(await getToken(user.id, "github", ACCESS_TOKEN)).toBe(second.access_token);
    expect(await getToken(user.id, "github", REFRESH_TOKEN)).toBe(second.refresh_token);
    expect(await getDb().providerConnection.findUniqueOrThrow({ where: { userId_provider: { userId: user.id, provider: "github" } } })).toMatchObject({
      providerAccountId: String(deriveGithubUserId("dave")),
    });

    const events = await getDb().auditEvent.findMany({ where: { subjectUserId: user.id, action: "provider_token.replaced" } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      provider: "github",
      detail: {
        replacedProviderAccountId: String(deriveGithubUserId("carol")),
        newProviderAccountId: String(deriveGithubUserId("dave")),
        revocation: "revoked",
      },
    });
    expect(JSON.stringify(events)).not.toContain(first.access_token);
  });
});
