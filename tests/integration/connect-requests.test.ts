import { afterEach, beforeEach, expect, it } from "vitest";
import { completeConnect } from "@/lib/connect/complete-connect";
import { ConnectError } from "@/lib/connect/connect-error";
import { createConnectRequest } from "@/lib/connect/create-connect-request";
import { findConnectRequest } from "@/lib/connect/find-connect-request";
import { startConnect } from "@/lib/connect/start-connect";
import { getDb } from "@/lib/db/client";
import { storeSignInTokens } from "@/lib/provider-tokens/store-sign-in-tokens";
import { authenticateServiceClient } from "@/lib/service-clients/authenticate-service-client";
import { createServiceClient } from "@/lib/service-clients/create-service-client";
import { exchangeForProviderToken, PROVIDER_ACCESS_TOKEN_TYPE, USER_ID_TOKEN_TYPE } from "@/lib/service-clients/exchange-for-provider-token";
import { createUser } from "../helpers/fixtures";
import { describeOnEachDatabase } from "../helpers/test-database";

/*
 * Issue 23 §3: a service asks for provider scopes the person has not granted → insufficient_scope with the missing
 * scopes and a connect_uri bound to that person, a notice (page, mail queue, webhook outbox via the audit event), and
 * the connect page that only that person can follow. The provider round trip itself is tests/servers/connect-flow.test.ts.
 * Mutation check (made once, saw red, restored): lib/connect/start-connect.ts without the
 * `request.userId !== input.userId` check → "another person cannot start it" failed (a URL came back).
 */
const ISSUER = "http://tessera.test";
const DEMO = { DEMO_IDP_ISSUER: "http://127.0.0.1:9", DEMO_IDP_CLIENT_SECRET: "demo-secret" };
const saved: Record<string, string | undefined> = {};

beforeEach(() => {
  for (const [key, value] of Object.entries(DEMO)) {
    saved[key] = process.env[key];
    process.env[key] = value;
  }
});
afterEach(() => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

describeOnEachDatabase("connect requests (issue 23 §3)", () => {
  async function service(name: string) {
    const admin = await createUser({ role: "ADMIN" });
    const created = await createServiceClient({ name, permissions: ["credentials:*:read"] }, { type: "admin", id: admin.id }, null);
    if (!created.ok) throw new Error(created.message);
    return (await authenticateServiceClient(created.view.clientId, created.clientSecret))!;
  }
  const exchange = (client: Awaited<ReturnType<typeof service>>, userId: string, provider: string, scope?: string) =>
    exchangeForProviderToken(
      client,
      { subjectToken: userId, subjectTokenType: USER_ID_TOKEN_TYPE, requestedTokenType: PROVIDER_ACCESS_TOKEN_TYPE, audience: provider, scope },
      null,
      ISSUER,
    );

  it("answers insufficient_scope with the missing scopes and a connect_uri; the person is told once per link", async () => {
    const person = await createUser({ name: "Ada" });
    await storeSignInTokens(person.id, "github", { accessToken: "scope-test-github-token", scopes: ["read:user"] });
    const calendar = await service("calendar-sync");

    const granted = await exchange(calendar, person.id, "github", "read:user");
    expect(granted).toMatchObject({ ok: true, accessToken: "scope-test-github-token" });

    const refused = await exchange(calendar, person.id, "github", "read:user repo");
    if (refused.ok || refused.error !== "insufficient_scope") throw new Error(`expected insufficient_scope, got ${JSON.stringify(refused)}`);
    expect(refused.missingScopes).toEqual(["repo"]);
    expect(refused.connectUri).toMatch(new RegExp(`^${ISSUER}/connect/[A-Za-z0-9]+$`));
    expect(JSON.stringify(refused)).not.toContain("scope-test-github-token");

    const notices = await getDb().notification.findMany({ where: { userId: person.id } });
    expect(notices).toEqual([expect.objectContaining({ kind: "connection.scopes_requested", title: "calendar-sync asks for more GitHub access" })]);
    expect(notices[0]!.body).toContain("repo");
    const audit = await getDb().auditEvent.findMany({ where: { action: "connection.scopes_requested", subjectUserId: person.id } });
    expect(audit).toEqual([expect.objectContaining({ actorType: "service", actorId: calendar.id, provider: "github" })]);

    // Asking again while the link is open: the same link, no second notice.
    const again = await exchange(calendar, person.id, "github", "repo");
    expect(again).toMatchObject({ ok: false, error: "insufficient_scope", connectUri: refused.connectUri });
    expect(await getDb().notification.count({ where: { userId: person.id } })).toBe(1);

    // Nothing connected at all, with a scope asked for: a link too (a connect-only provider here).
    const slack = await exchange(calendar, person.id, "slack", "channels:read");
    expect(slack).toMatchObject({ ok: false, error: "insufficient_scope", missingScopes: ["channels:read"] });
    // Without a scope the old answer stands.
    expect(await exchange(calendar, person.id, "slack")).toEqual({ ok: false, error: "invalid_request", description: "not_connected" });
    // Garbage scope lists are refused before anything is looked up.
    expect(await exchange(calendar, person.id, "github", "a\u0000b")).toMatchObject({ ok: false, error: "invalid_request" });
  });

  it("the connect page shows the request only to its person; another person cannot start it", async () => {
    const person = await createUser();
    const stranger = await createUser();
    await storeSignInTokens(person.id, "github", { accessToken: "page-test-token", scopes: ["read:user"] });
    const link = await createConnectRequest({
      userId: person.id,
      provider: "github",
      scopes: ["repo"],
      requestedBy: { kind: "service", id: "svc", name: "repo-bot" },
    });

    expect(await findConnectRequest(link.id, stranger.id)).toEqual({ ok: false, failure: "other_person" });
    await expect(startConnect({ requestId: link.id, userId: stranger.id, origin: ISSUER })).rejects.toMatchObject({ code: "connect_other_person" });

    const seen = await findConnectRequest(link.id, person.id);
    expect(seen).toMatchObject({
      ok: true,
      request: { provider: "github", providerLabel: "GitHub", missing: ["repo"], granted: ["read:user"], requestedByName: "repo-bot" },
    });

    const url = new URL(await startConnect({ requestId: link.id, userId: person.id, origin: ISSUER }));
    // The union of what is granted and what is missing, the exact redirect URI, state and PKCE (the demo GitHub).
    expect(url.origin + url.pathname).toBe("http://127.0.0.1:9/auth");
    expect(url.searchParams.get("scope")).toBe("read:user repo");
    expect(url.searchParams.get("redirect_uri")).toBe(`${ISSUER}/connect/callback`);
    expect(url.searchParams.get("client_id")).toBe("tessera-demo-github");
    expect(url.searchParams.get("state")).toMatch(/^[\w-]{20,}$/);
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    const row = await getDb().providerConnectRequest.findUniqueOrThrow({ where: { id: link.id } });
    // Only a hash of the state is stored, and the verifier is sealed.
    expect(row.stateHash).not.toBe(url.searchParams.get("state"));
    expect(row.secretsCiphertext).toBeTruthy();

    // The callback: a stranger holding the state is refused; a wrong state is not found; neither consumes the request.
    const callback = new URL(`${ISSUER}/connect/callback?code=abc&state=${url.searchParams.get("state")}`);
    await expect(completeConnect({ userId: stranger.id, callbackUrl: callback, origin: ISSUER })).rejects.toMatchObject({ code: "connect_other_person" });
    await expect(
      completeConnect({ userId: person.id, callbackUrl: new URL(`${ISSUER}/connect/callback?code=abc&state=wrong`), origin: ISSUER }),
    ).rejects.toBeInstanceOf(ConnectError);
    expect((await getDb().providerConnectRequest.findUniqueOrThrow({ where: { id: link.id } })).completedAt).toBeNull();

    // The person declined at the provider: consumed, recorded, nothing stored.
    const declined = new URL(`${ISSUER}/connect/callback?error=access_denied&state=${url.searchParams.get("state")}`);
    await expect(completeConnect({ userId: person.id, callbackUrl: declined, origin: ISSUER })).rejects.toMatchObject({ code: "connect_denied" });
    await expect(completeConnect({ userId: person.id, callbackUrl: declined, origin: ISSUER })).rejects.toMatchObject({ code: "connect_used" });
    expect(await getDb().auditEvent.count({ where: { action: "connection.connect_failed", subjectUserId: person.id } })).toBe(1);
    expect((await getDb().providerConnection.findFirstOrThrow({ where: { userId: person.id, provider: "github" } })).scopes).toEqual(["read:user"]);
  });
});
