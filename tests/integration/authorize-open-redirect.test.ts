// First: it installs the AsyncLocalStorage global that Next's modules capture when they load.
import { runServerAction } from "../helpers/run-server-action";
import { randomBytes } from "node:crypto";
import { beforeAll, expect, it } from "vitest";
import { decideAuthorizationAction } from "@/app/oauth/authorize/actions";
import { s256 } from "@/lib/oauth-apps/app-secrets";
import { issueAuthorizationCode } from "@/lib/oauth-apps/authorize-application";
import type { AuthorizationParams } from "@/lib/oauth-apps/authorization-request";
import { createApplication, createApplicationSchema } from "@/lib/oauth-apps/create-application";
import { nextAuthorizationStep } from "@/lib/oauth-apps/next-authorization-step";
import { createSessionCookie, createUser } from "../helpers/fixtures";
import { describeOnEachDatabase } from "../helpers/test-database";

/*
 * Issue 20 item 2: anyone who can sign in can register an app with any https redirect URI, so
 * GET /oauth/authorize must not send a signed-out visitor there, not even with `error=…`
 * (RFC 6749 §4.1.2.1, RFC 9700 §4.11). The page (app/oauth/authorize/page.tsx) only follows what
 * nextAuthorizationStep decides — redirect(step.location) for "sign-in" and "redirect", its own error page
 * for "error-page" — so that decision is called here with and without a signed-in person (vitest here does
 * not compile .tsx pages); e2e/authorize-open-redirect.spec.ts drives the real page in a signed-out Chromium.
 *
 * Mutation check (made once, saw red, restored): in lib/oauth-apps/next-authorization-step.ts, moving
 * `if (!viewer) return signIn;` below the `if (!validation.ok) { … return { kind: "redirect", … } }` block
 * makes "a signed-out visitor is never sent to the app" fail (the page redirects to https://attacker.example/…?error=…).
 */

const ATTACKER = "https://attacker.example/landing";

describeOnEachDatabase("authorize: no open redirect through a self-registered app", () => {
  let clientId: string;
  let personCookie: string;
  let person: { id: string };

  beforeAll(async () => {
    const attacker = await createUser({ email: `attacker-${randomBytes(3).toString("hex")}@example.com` });
    const created = await createApplication(
      attacker.id,
      createApplicationSchema.parse({ name: "Totally Legit", redirectUris: [ATTACKER], confidential: false }),
      null,
    );
    if (!created.ok) throw new Error(created.message);
    clientId = created.view.clientId;
    person = await createUser();
    personCookie = await createSessionCookie(person.id);
  });

  const valid = (): AuthorizationParams => ({
    client_id: clientId,
    redirect_uri: ATTACKER,
    response_type: "code",
    scope: "profile:read",
    state: "s1",
    code_challenge: s256(randomBytes(32).toString("base64url")),
    code_challenge_method: "S256",
  });
  // Each is an error that goes back to a registered redirect URI once someone is signed in.
  const broken = (): [string, AuthorizationParams][] => [
    ["invalid_scope", { ...valid(), scope: "admin" }],
    ["unsupported_response_type", { ...valid(), response_type: "token" }],
    ["invalid_request", { ...valid(), code_challenge: undefined, code_challenge_method: undefined }],
    ["invalid_request", { ...valid(), code_challenge_method: "plain" }],
    ["invalid_request", { ...valid(), state: "x".repeat(501) }],
  ];

  const ISSUER = "http://localhost:3000";
  const openPage = (params: AuthorizationParams, viewer: { id: string } | null) => nextAuthorizationStep(params, viewer, { issuer: ISSUER, ip: "203.0.113.9" });

  it("a signed-out visitor is never sent to the app: sign in first, and come back to the same request", async () => {
    for (const [error, params] of [...broken(), ["none", valid()] as [string, AuthorizationParams]]) {
      const step = await openPage(params, null);
      expect(step, error).toMatchObject({ kind: "sign-in" });
      const location = new URL((step as { location: string }).location, ISSUER);
      expect(location.origin, error).toBe(ISSUER);
      expect(location.pathname, error).toBe("/signin");
      const back = new URL(location.searchParams.get("callbackUrl")!, ISSUER);
      expect(back.pathname).toBe("/oauth/authorize");
      expect(back.searchParams.get("client_id")).toBe(clientId);
    }
  });

  it("once signed in, the same broken requests go back to the registered URI with the RFC's error", async () => {
    for (const [error, params] of broken()) {
      const step = await openPage(params, person);
      expect(step, error).toMatchObject({ kind: "redirect" });
      const location = new URL((step as { location: string }).location);
      expect(`${location.origin}${location.pathname}`).toBe(ATTACKER);
      expect(location.searchParams.get("error")).toBe(error);
      if (params.state === "s1") expect(location.searchParams.get("state")).toBe("s1");
      expect(location.searchParams.get("iss")).toBe(ISSUER);
    }
  });

  it("an unregistered redirect URI is Tessera's own page, signed in or not", async () => {
    for (const viewer of [null, person]) {
      expect(await openPage({ ...valid(), redirect_uri: "https://elsewhere.example/cb", scope: "admin" }, viewer)).toEqual({
        kind: "error-page",
        message: "The redirect_uri is not one this application registered.",
      });
    }
  });

  it("a valid request, signed in: the consent screen; once granted, a code goes straight back to the app", async () => {
    const step = await openPage(valid(), person);
    expect(step).toMatchObject({ kind: "consent", viewer: person, granted: null, request: { redirectUri: ATTACKER, scopes: ["profile:read"] } });
    if (step.kind !== "consent") throw new Error("no consent step");
    expect(await issueAuthorizationCode(person.id, step.request, { consented: true, ip: null })).toBeTruthy();
    const again = await openPage(valid(), person);
    expect(again).toMatchObject({
      kind: "redirect",
      location: expect.stringMatching(/^https:\/\/attacker\.example\/landing\?code=[0-9A-Za-z]{43}&state=s1&iss=/),
    });
    // Signed out, the same remembered grant still only leads to sign-in.
    expect(await openPage(valid(), null)).toMatchObject({ kind: "sign-in" });
  });

  it("the consent form's action, posted without a session, sends nobody to the app either", async () => {
    const form = new FormData();
    form.set("decision", "deny");
    for (const [name, value] of Object.entries({ ...valid(), scope: "admin" })) if (typeof value === "string") form.set(name, value);
    expect(await runServerAction(decideAuthorizationAction, form, {}, "/oauth/authorize")).toMatchObject({
      kind: "redirect",
      location: expect.stringMatching(/^\/signin\?/),
    });
    // The same form from a signed-in person does go back to the app, with the RFC's error.
    const signedIn = await runServerAction(decideAuthorizationAction, form, { cookie: personCookie }, "/oauth/authorize");
    expect(signedIn).toMatchObject({ kind: "redirect", location: expect.stringMatching(/^https:\/\/attacker\.example\/landing\?error=invalid_scope&/) });
  });
});
