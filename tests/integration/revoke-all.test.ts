import { afterAll, beforeAll, expect, it, vi } from "vitest";
import * as revokeAllRoute from "@/app/api/admin/users/[id]/revoke-all/route";
import * as tokenRoutes from "@/app/api/tokens/route";
import * as meRoutes from "@/app/api/v1/me/route";
import { listConnections } from "@/lib/connections/list-connections";
import { connectDatabase, getDb } from "@/lib/db/client";
import { introspectToken, obtainTokensByCodeFlow } from "@/lib/idp/testing/obtain-tokens-by-code-flow";
import { deleteWithoutRevocation } from "@/lib/provider-tokens/delete-without-revocation";
import { NotConnectedError } from "@/lib/provider-tokens/errors";
import { getFreshAccessToken } from "@/lib/provider-tokens/get-fresh-access-token";
import { storeSignInTokens } from "@/lib/provider-tokens/store-sign-in-tokens";
import { getToken } from "../helpers/provider-token-rows";
import { revokePendingConnection } from "@/lib/provider-tokens/revoke-pending-connection";
import { DEMO_CLIENT_IDS } from "@/lib/providers/catalog";
import { callRoute, createSessionCookie, createUser, sameOrigin } from "../helpers/fixtures";
import { TEST_APP_URL, TEST_IDP_SECRET, startDemoIdpForFile } from "../helpers/demo-idp";
import { describeOnEachDatabase } from "../helpers/test-database";

// A switch to make the provider revocation throw (not fail: throw), as an unexpected bug would.
const injected = vi.hoisted(() => ({ failure: null as Error | null, markFailure: null as Error | null }));
vi.mock("@/lib/provider-tokens/revoke-at-provider", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/lib/provider-tokens/revoke-at-provider")>();
  return {
    ...original,
    revokeAtProvider: (...args: Parameters<typeof original.revokeAtProvider>) => {
      if (injected.failure) throw injected.failure;
      return original.revokeAtProvider(...args);
    },
  };
});

// The same for the last step of revoke-all's transaction.
vi.mock("@/lib/provider-tokens/mark-revocation-pending", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/lib/provider-tokens/mark-revocation-pending")>();
  return {
    ...original,
    markRevocationPending: (...args: Parameters<typeof original.markRevocationPending>) => {
      if (injected.markFailure) throw injected.markFailure;
      return original.markRevocationPending(...args);
    },
  };
});

const demoIdp = startDemoIdpForFile();
const CLOSED_PORT_ISSUER = "http://127.0.0.1:9";

/** A user with a session, a PAT and a real grant at the demo IdP stored as sign-in stores it. */
async function victimWithGrant(provider: "google" | "github" = "google") {
  const user = await createUser();
  const cookie = await createSessionCookie(user.id);
  const created = await callRoute(tokenRoutes.POST, {
    method: "POST",
    path: "/api/tokens",
    headers: sameOrigin(cookie),
    body: { name: "ci", scopes: ["profile:read"], expiresInDays: 7 },
  });
  expect(created.status, created.text).toBe(201);
  const tokens = await obtainTokensByCodeFlow({
    issuer: demoIdp().issuer,
    clientId: DEMO_CLIENT_IDS[provider],
    clientSecret: TEST_IDP_SECRET,
    redirectUri: `${TEST_APP_URL}/api/auth/callback/${provider}`,
    login: user.email!.split("@")[0]!,
    scope: provider === "github" ? "read:user repo" : "openid email offline_access",
  });
  // Valid for 5 more minutes: the handout would return it without calling the provider.
  await storeSignInTokens(user.id, provider, {
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    expiresAt: new Date(Date.now() + 300_000),
  });
  return { user, cookie, pat: created.json().token as string, tokens };
}

const isActiveAtIdp = async (provider: "google" | "github", token: string) =>
  (await introspectToken(demoIdp().issuer, DEMO_CLIENT_IDS[provider], TEST_IDP_SECRET, token)).active;

describeOnEachDatabase("revoke all", (current) => {
  let admin: { id: string; cookie: string };

  beforeAll(async () => {
    // The embedded database runs with one pooled connection, as `npm start` configures it.
    if (current().kind === "embedded") await connectDatabase(current().url, { poolMax: 1 });
    const a = await createUser({ role: "ADMIN" });
    admin = { id: a.id, cookie: await createSessionCookie(a.id) };
  });

  afterAll(async () => {
    if (current().kind === "embedded") await connectDatabase(current().url, { poolMax: current().poolMax });
  });

  const revokeAll = (userId: string) =>
    callRoute(revokeAllRoute.POST, {
      method: "POST",
      path: `/api/admin/users/${userId}/revoke-all`,
      headers: sameOrigin(admin.cookie),
      params: { id: userId },
    });

  const summaryEvents = (userId: string) => getDb().auditEvent.findMany({ where: { subjectUserId: userId, action: "admin.revoke_all" } });

  // Guards (each checked by breaking it): createToken's `isCredentialLive` re-check (removed: 1-4 PATs
  // survive on both databases); `lockUserCredentials` in createToken (removed: PATs survive on PostgreSQL;
  // the embedded database serialises transactions anyway); and revoke-all ending sessions and PATs in one
  // transaction (main revoked PATs, then ended sessions in a later transaction: 4-5 PATs survived).
  it("PATs created concurrently with revoke-all never survive it", async () => {
    const iterations = 12;
    let createdTotal = 0;
    for (let i = 0; i < iterations; i++) {
      const victim = await createUser();
      const cookie = await createSessionCookie(victim.id);
      let created = 0;
      // Each creator keeps creating until the session it uses is refused.
      const creator = async (worker: number) => {
        for (let n = 0; n < 200; n++) {
          const response = await callRoute(tokenRoutes.POST, {
            method: "POST",
            path: "/api/tokens",
            headers: sameOrigin(cookie),
            body: { name: `race-${worker}-${n}`, scopes: ["profile:read"], expiresInDays: 1 },
          });
          if (response.status !== 201) {
            expect(response.status, response.text).toBe(401);
            return;
          }
          created++;
        }
        throw new Error("the session was never refused");
      };
      const creators = [0, 1, 2, 3].map(creator);
      // Overlap: revoke-all starts only once creations are under way, while they keep going.
      const deadline = Date.now() + 10_000;
      while (created === 0 && Date.now() < deadline) await new Promise((resolve) => setImmediate(resolve));
      expect(created, "creations were under way when revoke-all started").toBeGreaterThan(0);
      const [response] = await Promise.all([revokeAll(victim.id), ...creators]);
      expect(response.status).toBe(200);
      createdTotal += created;
      const active = await getDb().personalAccessToken.count({ where: { userId: victim.id, revokedAt: null } });
      expect(active, `iteration ${i}: active PATs after revoke-all`).toBe(0);
      expect((await summaryEvents(victim.id)).length).toBe(1);
    }
    expect(createdTotal).toBeGreaterThan(iterations);
  });

  // Guards: the REVOCATION_PENDING/FAILED check in checkUsable (lib/provider-tokens/connection-state.ts), and
  // revokePendingConnection keeping the ciphertext when the provider cannot be reached.
  it("provider down: sessions and PATs end, the connection stays failed with its tokens kept and never handed out; Retry revokes once it is back", async () => {
    const { user, cookie, pat, tokens } = await victimWithGrant("google");
    const before = await getDb().providerToken.findMany({ where: { userId: user.id }, orderBy: { name: "asc" } });
    expect(before.map((t) => t.name)).toEqual(["access_token", "refresh_token"]);

    process.env.DEMO_IDP_ISSUER = CLOSED_PORT_ISSUER;
    let response;
    try {
      response = await revokeAll(user.id);
    } finally {
      process.env.DEMO_IDP_ISSUER = demoIdp().issuer;
    }
    expect(response.status, response.text).toBe(200);
    const report = response.json();
    expect(report.providers).toEqual([
      expect.objectContaining({
        provider: "google",
        status: "failed",
        reason: "provider could not be reached",
        attempts: 3,
        keptTokenNames: ["access_token", "refresh_token"],
        removedTokenNames: [],
      }),
    ]);
    expect(report.endedSessions).toBe(1);
    expect(report.revokedPats).toHaveLength(1);
    expect(response.text).not.toContain(tokens.access_token);
    expect(response.text).not.toContain(tokens.refresh_token);

    // Sessions and PATs are over.
    expect((await callRoute(tokenRoutes.GET, { path: "/api/tokens", headers: { cookie } })).status).toBe(401);
    expect((await callRoute(meRoutes.GET, { path: "/api/v1/me", headers: { authorization: `Bearer ${pat}` } })).status).toBe(401);
    // The ciphertext is kept, unchanged, for the retry...
    const kept = await getDb().providerToken.findMany({ where: { userId: user.id }, orderBy: { name: "asc" } });
    expect(kept.map((t) => t.ciphertext)).toEqual(before.map((t) => t.ciphertext));
    expect(await getToken(user.id, "google", "refresh_token")).toBe(tokens.refresh_token);
    const connection = await getDb().providerConnection.findUniqueOrThrow({ where: { userId_provider: { userId: user.id, provider: "google" } } });
    expect(connection).toMatchObject({ status: "REVOCATION_FAILED", revocationAttempts: 3, revocationError: "provider could not be reached" });
    expect(connection.revocationPendingAt).toBeInstanceOf(Date);
    // ...but never handed out (the access token is still valid for minutes and still active at the IdP).
    await expect(getFreshAccessToken(user.id, "google")).rejects.toBeInstanceOf(NotConnectedError);
    expect(await isActiveAtIdp("google", tokens.access_token)).toBe(true);
    const view = (await listConnections(user.id)).find((c) => c.provider === "google")!;
    expect(view).toMatchObject({ status: "revocation_failed", revocation: { attempts: 3, error: "provider could not be reached" } });
    // The summary says what happened to each step.
    const [summary, ...more] = await summaryEvents(user.id);
    expect(more).toHaveLength(0);
    expect(summary!.detail).toMatchObject({
      committed: true,
      endedSessions: 1,
      revokedPats: 1,
      providers: [{ provider: "google", status: "failed", revocation: "failed", reason: "provider could not be reached", attempts: 3 }],
    });
    expect(JSON.stringify(summary)).not.toContain(tokens.refresh_token);

    // The user signs in again meanwhile: the kept ciphertext (the only copy that can revoke the old grant)
    // is not overwritten. Guard: the REVOCATION_* early return in lib/provider-tokens/store-sign-in-tokens.ts.
    expect(await storeSignInTokens(user.id, "google", { accessToken: "new-sign-in-access", refreshToken: "new-sign-in-refresh" })).toEqual([]);
    expect((await getDb().providerToken.findMany({ where: { userId: user.id }, orderBy: { name: "asc" } })).map((t) => t.ciphertext)).toEqual(
      before.map((t) => t.ciphertext),
    );
    expect((await getDb().providerConnection.findUniqueOrThrow({ where: { userId_provider: { userId: user.id, provider: "google" } } })).status).toBe(
      "REVOCATION_FAILED",
    );

    // The IdP is back: Retry revokes the grant and only then deletes Tessera's copies.
    const retried = await revokePendingConnection(user.id, "google", { type: "admin", id: admin.id });
    expect(retried).toMatchObject({ status: "revoked", removedTokenNames: ["access_token", "refresh_token"] });
    expect(await isActiveAtIdp("google", tokens.access_token)).toBe(false);
    expect(await getDb().providerConnection.count({ where: { userId: user.id } })).toBe(0);
    expect(await getDb().providerToken.count({ where: { userId: user.id } })).toBe(0);
    expect(await revokePendingConnection(user.id, "google", { type: "admin", id: admin.id })).toBeNull();
  });

  it("delete without provider revocation: tokens gone, grant untouched at the provider, audited as such", async () => {
    const { user, tokens } = await victimWithGrant("github");
    process.env.DEMO_IDP_ISSUER = CLOSED_PORT_ISSUER;
    try {
      expect((await revokeAll(user.id)).json().providers[0]).toMatchObject({ provider: "github", status: "failed" });
    } finally {
      process.env.DEMO_IDP_ISSUER = demoIdp().issuer;
    }
    expect(await deleteWithoutRevocation(user.id, "github", { type: "admin", id: admin.id })).toEqual(["access_token", "refresh_token"]);
    expect(await getDb().providerToken.count({ where: { userId: user.id } })).toBe(0);
    expect(await isActiveAtIdp("github", tokens.access_token)).toBe(true);
    const event = await getDb().auditEvent.findFirstOrThrow({ where: { subjectUserId: user.id, action: "connection.deleted_without_revocation" } });
    expect(event).toMatchObject({ actorType: "admin", actorId: admin.id, provider: "github", tokenNames: ["access_token", "refresh_token"] });
    expect(event.detail).toMatchObject({ lastError: "provider could not be reached", attempts: 3 });
    // Only pending or failed connections can be deleted this way.
    expect(await deleteWithoutRevocation(user.id, "github", { type: "admin", id: admin.id })).toBeNull();
  });

  // Guards: the try/finally around the steps in revokeAllCredentials, and the order (sessions and
  // PATs in the first transaction, before any provider call).
  it("an error thrown midway still leaves sessions and PATs revoked and writes the summary event", async () => {
    const { user, cookie, pat, tokens } = await victimWithGrant("google");
    injected.failure = new Error("injected failure");
    let response;
    try {
      response = await revokeAll(user.id);
    } finally {
      injected.failure = null;
    }
    expect(response.status, response.text).toBe(200);
    expect(response.json().providers).toEqual([
      expect.objectContaining({ provider: "google", status: "pending", keptTokenNames: ["access_token", "refresh_token"] }),
    ]);
    expect((await callRoute(tokenRoutes.GET, { path: "/api/tokens", headers: { cookie } })).status).toBe(401);
    expect((await callRoute(meRoutes.GET, { path: "/api/v1/me", headers: { authorization: `Bearer ${pat}` } })).status).toBe(401);
    expect(await getDb().session.count({ where: { userId: user.id } })).toBe(0);
    expect(await getDb().personalAccessToken.count({ where: { userId: user.id, revokedAt: null } })).toBe(0);
    expect(await getDb().providerConnection.findUniqueOrThrow({ where: { userId_provider: { userId: user.id, provider: "google" } } })).toMatchObject({
      status: "REVOCATION_PENDING",
    });
    await expect(getFreshAccessToken(user.id, "google")).rejects.toBeInstanceOf(NotConnectedError);
    const summaries = await summaryEvents(user.id);
    expect(summaries).toHaveLength(1);
    expect(summaries[0]!.detail).toMatchObject({ committed: true, endedSessions: 1, revokedPats: 1, providers: [{ provider: "google", status: "pending" }] });
    // A pending connection can be retried like a failed one.
    expect(await revokePendingConnection(user.id, "google", { type: "admin", id: admin.id })).toMatchObject({ status: "revoked" });
    expect(await isActiveAtIdp("google", tokens.access_token)).toBe(false);
  });

  // Guards: the single transaction (no half-revoked state) and the try/finally that writes the summary.
  it("an error inside the transaction revokes nothing half-way and still writes the summary event", async () => {
    const { user, pat } = await victimWithGrant("google");
    injected.markFailure = new Error("injected failure");
    let response;
    try {
      response = await revokeAll(user.id);
    } finally {
      injected.markFailure = null;
    }
    expect(response.status).toBe(500);
    expect(await getDb().session.count({ where: { userId: user.id } })).toBe(1);
    expect((await callRoute(meRoutes.GET, { path: "/api/v1/me", headers: { authorization: `Bearer ${pat}` } })).status).toBe(200);
    const summaries = await summaryEvents(user.id);
    expect(summaries).toHaveLength(1);
    expect(summaries[0]!.detail).toMatchObject({ committed: false, error: "Error", endedSessions: 0, revokedPats: 0, providers: [] });
    expect(await getDb().auditEvent.count({ where: { subjectUserId: user.id, action: { in: ["pat.revoked", "session.ended"] } } })).toBe(0);
    // Run again, it goes through.
    expect((await revokeAll(user.id)).status).toBe(200);
    expect(await getDb().session.count({ where: { userId: user.id } })).toBe(0);
  });
});
