import { afterEach, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { revokeTokenAtIdp } from "@/lib/idp/testing/obtain-tokens-by-code-flow";
import { markLongFailingConnections, DEAD_AFTER_FAILING_MS } from "@/lib/jobs/refresh-ahead";
import { describeProviderTokenFailure } from "@/lib/provider-tokens/describe-provider-token-failure";
import { obtainAccessToken } from "@/lib/provider-tokens/obtain-access-token";
import { storeSignInTokens } from "@/lib/provider-tokens/store-sign-in-tokens";
import { DEMO_CLIENT_IDS } from "@/lib/providers/catalog";
import { createServiceClient } from "@/lib/service-clients/create-service-client";
import { setServiceBlock } from "@/lib/service-clients/set-service-block";
import { connectedUser as connect, type DemoProvider } from "../helpers/connected-user";
import { createUser } from "../helpers/fixtures";
import { TEST_IDP_SECRET, startDemoIdpForFile } from "../helpers/demo-idp";
import { getToken } from "../helpers/provider-token-rows";
import { describeOnEachDatabase } from "../helpers/test-database";

/*
 * The one door to a provider token (lib/provider-tokens/obtain-access-token.ts): each of its five
 * outcomes against the demo IdP, with and without `for` a service.
 * Mutation checks (each done once, red, restored):
 * - obtain-access-token.ts: `if (state.blocked) return { status: "blocked" }` removed → "blocked" fails
 *   (the blocked service gets "ok" and the IdP sees a refresh).
 * - obtain-access-token.ts: the `catch` that turns a ProviderTokenError into an outcome rethrowing instead
 *   → "not_connected", "reconnect_required" and "refresh_unavailable" fail (the promise rejects).
 * - mark-needs-reconnect.ts: `refreshFailingSince: null` removed from the transition's data → the last
 *   test fails (the reconnected grant is marked dead again by the daily job).
 */

const demoIdp = startDemoIdpForFile();
afterEach(() => {
  Object.assign(demoIdp().faults, { tokenDelayMs: 0, tokenStatus: null, tokenError: null, tokenRetryAfter: null });
});

const connectedUser = (provider: DemoProvider = "google", options: { expired?: boolean } = {}) => connect(demoIdp(), provider, options);

async function service(provider: string) {
  const created = await createServiceClient(
    { name: `door-${Math.random()}`, permissions: [`credentials:${provider}:read`] },
    { type: "admin", id: "test-admin" },
    null,
  );
  if (!created.ok) throw new Error(created.message);
  return created.view;
}

describeOnEachDatabase("obtainAccessToken", () => {
  it("ok: the stored token while valid (no provider call), a refreshed one once expired", async () => {
    const { user, tokens } = await connectedUser("google");
    const svc = await service("google");
    const requests = demoIdp().counters.tokenRequests;
    const stored = await obtainAccessToken(user.id, "google", { for: svc });
    expect(stored).toMatchObject({ status: "ok", token: { accessToken: tokens.access_token, refreshed: false } });
    expect(demoIdp().counters.tokenRequests).toBe(requests);

    await getDb().providerConnection.updateMany({ where: { userId: user.id }, data: { accessTokenExpiresAt: new Date(Date.now() - 1000) } });
    const fresh = await obtainAccessToken(user.id, "google", { for: svc });
    if (fresh.status !== "ok") throw new Error(`expected ok, got ${fresh.status}`);
    expect(fresh.token.refreshed).toBe(true);
    expect(fresh.token.accessToken).not.toBe(tokens.access_token);
    expect(fresh.token.accessToken).toBe(await getToken(user.id, "google", "access_token"));
    expect(demoIdp().counters.tokenRequests).toBe(requests + 1);
    // Without `for` (the jobs, the proxy's retry): the same token, no block to check.
    expect(await obtainAccessToken(user.id, "google")).toMatchObject({ status: "ok", token: { accessToken: fresh.token.accessToken } });
  });

  it("blocked: the person blocked the service; no provider call, no use recorded; other services still served", async () => {
    const { user } = await connectedUser("google", { expired: true });
    const [blockedService, otherService] = [await service("google"), await service("google")];
    expect(await setServiceBlock(user.id, blockedService.id, "google", true, { type: "user", id: user.id }, null)).toBe(true);
    const requests = demoIdp().counters.tokenRequests;
    expect(await obtainAccessToken(user.id, "google", { for: blockedService })).toEqual({ status: "blocked" });
    expect(demoIdp().counters.tokenRequests).toBe(requests);
    expect((await getDb().providerConnection.findFirstOrThrow({ where: { userId: user.id } })).lastUsedAt).toBeNull();
    expect((await obtainAccessToken(user.id, "google", { for: otherService })).status).toBe("ok");
  });

  it("not_connected: no connection, or an unknown person (told apart by nobody)", async () => {
    const user = await createUser();
    const svc = await service("google");
    expect(await obtainAccessToken(user.id, "google", { for: svc })).toEqual({ status: "not_connected" });
    expect(await obtainAccessToken(user.id, "google")).toEqual({ status: "not_connected" });
    expect(await obtainAccessToken("usr_nobody", "google", { for: svc })).toEqual({ status: "not_connected" });
    expect(describeProviderTokenFailure({ status: "not_connected" })).toMatchObject({ code: "not_connected", retryAfterSeconds: null });
  });

  it("reconnect_required: the IdP refused the refresh token (invalid_grant); the next call says so from the stored state", async () => {
    const { user, tokens } = await connectedUser("github", { expired: true });
    const svc = await service("github");
    await revokeTokenAtIdp(demoIdp().issuer, DEMO_CLIENT_IDS.github, TEST_IDP_SECRET, tokens.refresh_token!);
    const first = await obtainAccessToken(user.id, "github", { for: svc });
    expect(first).toMatchObject({ status: "reconnect_required", reason: expect.stringMatching(/invalid_grant/) });
    expect(await getDb().providerToken.count({ where: { userId: user.id } })).toBe(0);
    const requests = demoIdp().counters.tokenRequests;
    expect((await obtainAccessToken(user.id, "github", { for: svc })).status).toBe("reconnect_required");
    expect((await obtainAccessToken(user.id, "github")).status).toBe("reconnect_required");
    expect(demoIdp().counters.tokenRequests).toBe(requests);
    if (first.status !== "reconnect_required") throw new Error("unreachable");
    // Said to a service without the provider's reason.
    const said = describeProviderTokenFailure(first);
    expect(said).toMatchObject({ code: "needs_reconnect", retryAfterSeconds: null });
    expect(said.message).not.toMatch(/invalid_grant/);
  });

  it("refresh_unavailable: the IdP fails (503); tokens kept; the backoff answers at once with when to come back", async () => {
    const { user, tokens } = await connectedUser("google", { expired: true });
    const svc = await service("google");
    demoIdp().faults.tokenStatus = 503;
    const first = await obtainAccessToken(user.id, "google", { for: svc });
    expect(first).toMatchObject({ status: "refresh_unavailable", retryAfterSeconds: 5 });
    expect(await getToken(user.id, "google", "refresh_token")).toBe(tokens.refresh_token);
    const requests = demoIdp().counters.tokenRequests;
    const during = await obtainAccessToken(user.id, "google", { for: svc });
    expect(during.status).toBe("refresh_unavailable");
    expect(demoIdp().counters.tokenRequests).toBe(requests);
    if (during.status !== "refresh_unavailable") throw new Error("unreachable");
    const said = describeProviderTokenFailure(during);
    expect(said).toMatchObject({ code: "refresh_unavailable" });
    expect(said.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(said.retryAfterSeconds).toBeLessThanOrEqual(5);
  });

  it("a grant that died after days of failed refreshes, once reconnected, is not marked dead again by the daily job", async () => {
    const { user, tokens } = await connectedUser("github", { expired: true });
    // Refreshes have failed for 5 days; then the provider refuses the grant for good.
    await getDb().providerConnection.updateMany({
      where: { userId: user.id },
      data: { refreshFailures: 3, refreshFailingSince: new Date(Date.now() - DEAD_AFTER_FAILING_MS - 2 * 86_400_000) },
    });
    await revokeTokenAtIdp(demoIdp().issuer, DEMO_CLIENT_IDS.github, TEST_IDP_SECRET, tokens.refresh_token!);
    expect((await obtainAccessToken(user.id, "github")).status).toBe("reconnect_required");

    // The person reconnects (a new sign-in): API access is back, and stays back after the daily job.
    await storeSignInTokens(user.id, "github", {
      accessToken: "reconnected-github-access",
      refreshToken: "reconnected-github-refresh",
      expiresAt: new Date(Date.now() + 3_600_000),
    });
    await markLongFailingConnections();
    expect((await getDb().providerConnection.findFirstOrThrow({ where: { userId: user.id } })).status).toBe("ACTIVE");
    expect(await obtainAccessToken(user.id, "github")).toMatchObject({ status: "ok", token: { accessToken: "reconnected-github-access" } });
  });
});
