import { Auth, type AuthConfig } from "@auth/core";
import type { Account, Profile, User } from "@auth/core/types";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { deriveGithubUserId } from "@/lib/idp/demo-users";
import { startDemoIdp, type DemoIdp } from "@/lib/idp/start-demo-idp";
import { completeIdpAuthorization } from "@/lib/idp/testing/complete-idp-authorization";
import { CookieJar } from "@/lib/idp/testing/cookie-jar";
import { introspectToken, refreshAtIdp } from "@/lib/idp/testing/obtain-tokens-by-code-flow";
import { DEMO_CLIENT_IDS, PROVIDER_IDS, type ProviderId } from "@/lib/providers/catalog";
import { setUserRole } from "@/lib/admin/set-user-role";
import { safeRedirectUrl } from "@/lib/api/safe-callback-path";
import { getDb } from "@/lib/db/client";
import { describeOnEachDatabase } from "@/tests/helpers/test-database";
import { createAuthAdapter } from "@/lib/auth/auth-adapter";
import { checkSignIn } from "@/lib/auth/check-sign-in";
import { buildAuthProviders } from "@/lib/auth/providers";
import { recordSignIn } from "@/lib/auth/record-sign-in";

/*
 * The demo providers complete real sign-ins: @auth/core's Auth() (no Next.js, no adapter, JWT
 * sessions) against the demo IdP, driven over HTTP as a browser would.
 */
const APP = "http://localhost:3999";
const SECRET = "providers-test-client-secret";
let idp: DemoIdp;

beforeAll(async () => {
  idp = await startDemoIdp({ appUrls: [APP], clientSecret: SECRET });
});
afterAll(() => idp.close());

type SignInEvent = { user: User; account?: Account | null; profile?: Profile };

function createApp(overrides: Partial<AuthConfig> = {}) {
  const signIns: SignInEvent[] = [];
  const errors: string[] = [];
  const config: AuthConfig = {
    ...overrides,
    providers: buildAuthProviders({ DEMO_IDP_ISSUER: idp.issuer, DEMO_IDP_CLIENT_SECRET: SECRET }),
    secret: "providers-test-auth-secret-not-secret",
    trustHost: true,
    basePath: "/api/auth",
    session: overrides.session ?? { strategy: "jwt" },
    events: {
      signIn: async (message) => {
        signIns.push({ user: message.user, account: message.account, profile: message.profile });
        await overrides.events?.signIn?.(message);
      },
    },
    logger: { error: (error) => void errors.push(`${error.name}: ${error.message}`), warn: () => {}, debug: () => {} },
  };
  const jar = new CookieJar();
  const request = async (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (jar.header()) headers.set("cookie", jar.header());
    const response = await Auth(new Request(new URL(path, APP), { ...init, headers }), config);
    jar.store(response);
    return response;
  };
  return { request, jar, signIns, errors };
}

/** Drives one sign-in up to Auth.js's answer to the provider's callback. */
async function attemptSignIn(provider: ProviderId, login: string, overrides: Partial<AuthConfig> = {}) {
  const app = createApp(overrides);
  const { csrfToken } = (await (await app.request("/api/auth/csrf")).json()) as { csrfToken: string };
  const start = await app.request(`/api/auth/signin/${provider}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken, callbackUrl: `${APP}/settings/connections` }),
  });
  expect(start.status).toBe(302);
  const callback = await completeIdpAuthorization({
    authorizationUrl: start.headers.get("location")!,
    redirectUri: `${APP}/api/auth/callback/${provider}`,
    login,
  });
  const finish = await app.request(callback.pathname + callback.search);
  return { app, finish };
}

async function signIn(provider: ProviderId, login: string) {
  const app = createApp();
  const { csrfToken } = (await (await app.request("/api/auth/csrf")).json()) as { csrfToken: string };
  const start = await app.request(`/api/auth/signin/${provider}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken, callbackUrl: `${APP}/settings/connections` }),
  });
  expect(start.status).toBe(302);
  const authorizationUrl = start.headers.get("location")!;
  expect(authorizationUrl.startsWith(`${idp.issuer}/auth?`), authorizationUrl).toBe(true);

  const callback = await completeIdpAuthorization({ authorizationUrl, redirectUri: `${APP}/api/auth/callback/${provider}`, login });
  expect(callback.searchParams.get("iss")).toBe(idp.issuer);
  const finish = await app.request(callback.pathname + callback.search);
  expect(app.errors).toEqual([]);
  expect(finish.status).toBe(302);
  expect(finish.headers.get("location")).toBe(`${APP}/settings/connections`);
  expect(app.jar.get("authjs.session-token")).toBeTruthy();

  const session = (await (await app.request("/api/auth/session")).json()) as { user?: { email?: string; name?: string } };
  return { authorizationUrl: new URL(authorizationUrl), session, signIns: app.signIns };
}

describe("demo providers sign in through Auth.js against the demo IdP", () => {
  it.each(PROVIDER_IDS)("%s: sign-in completes, the session has the demo user and the account carries the tokens Tessera stores", async (provider) => {
    const { authorizationUrl, session, signIns } = await signIn(provider, "alice");
    expect(authorizationUrl.searchParams.get("client_id")).toBe(DEMO_CLIENT_IDS[provider]);
    expect(authorizationUrl.searchParams.get("code_challenge_method")).toBe("S256");
    expect(session.user).toMatchObject({ email: "alice@example.com", name: "Alice Example" });

    expect(signIns).toHaveLength(1);
    const account = signIns[0]!.account!;
    expect(account).toMatchObject({
      provider,
      type: provider === "github" ? "oauth" : "oidc",
      providerAccountId: provider === "github" ? String(deriveGithubUserId("alice")) : "alice",
      access_token: expect.any(String),
      refresh_token: expect.any(String),
      expires_at: expect.any(Number),
      scope: expect.any(String),
      token_type: expect.stringMatching(/^bearer$/i),
    });
    expect(account.expires_at! - Date.now() / 1000).toBeGreaterThan(200);
    expect(account.expires_at! - Date.now() / 1000).toBeLessThanOrEqual(300);
    // oidc-provider follows OIDC Core §11: without prompt=consent it drops `offline_access` from the
    // granted scope, but still issues the refresh token (issueRefreshToken ignores that scope).
    expect(account.scope!.split(" ")).toEqual(
      expect.arrayContaining(
        {
          google: ["openid", "https://www.googleapis.com/auth/calendar.readonly"],
          "microsoft-entra-id": ["openid", "User.Read", "Mail.Read"],
          github: ["read:user", "user:email", "repo"],
        }[provider],
      ),
    );
    if (provider === "github") expect(account.id_token).toBeUndefined();
    else expect(account.id_token).toEqual(expect.any(String));

    // The tokens Auth.js handed over are live at the IdP, and the refresh token works.
    const clientId = DEMO_CLIENT_IDS[provider];
    expect((await introspectToken(idp.issuer, clientId, SECRET, account.access_token!)).active).toBe(true);
    expect((await refreshAtIdp(idp.issuer, clientId, SECRET, account.refresh_token!)).status).toBe(200);
  });

  it("each provider resolves a different demo user to that user", async () => {
    const { session } = await signIn("github", "bob");
    expect(session.user).toMatchObject({ email: "bob@example.com", name: "Bob Example" });
    const { session: admin } = await signIn("microsoft-entra-id", "admin");
    expect(admin.user).toMatchObject({ email: "admin@example.com", name: "Ada Admin" });
  });
});

// Tessera's own Auth.js settings that decide who may sign in (auth.ts uses the same functions).
function appConfig(): Partial<AuthConfig> {
  return {
    adapter: createAuthAdapter(getDb()),
    session: { strategy: "database" },
    callbacks: { signIn: ({ account, profile }) => checkSignIn({ account, profile }), redirect: ({ url, baseUrl }) => safeRedirectUrl(url, baseUrl) },
    events: {
      signIn: async ({ user, account }) => void (user.id && (await recordSignIn({ userId: user.id, email: user.email ?? null, account: account ?? null }))),
    },
  };
}

describeOnEachDatabase("only a verified address signs in (Auth.js + Tessera's adapter and callbacks)", () => {
  // As `npm start` runs the app in demo mode: ADMIN_EMAILS lists the demo admin, the demo IdP is configured.
  beforeAll(() => {
    vi.stubEnv("ADMIN_EMAILS", "admin@example.com");
    vi.stubEnv("DEMO_IDP_ISSUER", idp.issuer);
    vi.stubEnv("DEMO_IDP_CLIENT_SECRET", SECRET);
  });
  afterAll(() => void vi.unstubAllEnvs());

  const countRows = async () => ({ users: await getDb().user.count(), accounts: await getDb().account.count(), sessions: await getDb().session.count() });

  it.each(PROVIDER_IDS)("%s: an unverified address creates no user, links no account and lands on /signin?error=EmailNotVerified", async (provider) => {
    // mallory asserts admin@example.com (listed in ADMIN_EMAILS) with email_verified false / GitHub verified: false.
    // Guard: the `verification.status !== "unverified"` check in lib/auth/check-sign-in.ts.
    const before = await countRows();
    const { app, finish } = await attemptSignIn(provider, "mallory", appConfig());
    expect(finish.status).toBe(302);
    expect(finish.headers.get("location")).toBe(`${APP}/signin?error=EmailNotVerified&provider=${provider}`);
    expect(app.jar.get("authjs.session-token")).toBeFalsy();
    expect(app.signIns).toEqual([]);
    expect(await countRows()).toEqual(before);
    expect(await getDb().user.findUnique({ where: { email: "admin@example.com" } })).toBeNull();
  });

  it("an unverified address is not linked to the existing user who owns it (the demo's email linking included)", async () => {
    const { app } = await attemptSignIn("google", "admin", appConfig());
    expect(app.jar.get("authjs.session-token")).toBeTruthy();
    const admin = await getDb().user.findUniqueOrThrow({ where: { email: "admin@example.com" }, include: { accounts: true } });
    expect(admin.role).toBe("ADMIN");
    expect(admin.accounts.map((a) => a.provider)).toEqual(["google"]);

    for (const provider of ["github", "microsoft-entra-id"] as const) {
      const { finish } = await attemptSignIn(provider, "mallory", appConfig());
      expect(finish.headers.get("location")).toBe(`${APP}/signin?error=EmailNotVerified&provider=${provider}`);
    }
    expect((await getDb().account.findMany({ where: { userId: admin.id } })).map((a) => a.provider)).toEqual(["google"]);
    expect(await getDb().user.count({ where: { role: "ADMIN" } })).toBe(1);
  });

  it("a verified address signs in on every provider and ADMIN_EMAILS applies to it", async () => {
    for (const provider of PROVIDER_IDS) {
      const { app, finish } = await attemptSignIn(provider, "alice", appConfig());
      expect(finish.headers.get("location")).toBe(`${APP}/settings/connections`);
      expect(app.jar.get("authjs.session-token")).toBeTruthy();
    }
    const alice = await getDb().user.findUniqueOrThrow({ where: { email: "alice@example.com" }, include: { accounts: true } });
    expect(alice.accounts.map((a) => a.provider).sort()).toEqual([...PROVIDER_IDS].sort());
    expect(alice.role).toBe("USER");
  });

  it("an administrator demoted by hand is not re-promoted by ADMIN_EMAILS at the next sign-in", async () => {
    // Guard: the `roleSource === "MANUAL"` early return in adminEmailsRoleChange (lib/auth/record-sign-in.ts).
    await attemptSignIn("github", "admin", appConfig());
    const admin = await getDb().user.findUniqueOrThrow({ where: { email: "admin@example.com" } });
    expect(admin).toMatchObject({ role: "ADMIN", roleSource: "ADMIN_EMAILS" });
    const other = await getDb().user.create({ data: { email: "second-admin@example.com", role: "ADMIN", roleSource: "MANUAL" } });

    expect(await setUserRole(admin.id, "USER", { type: "admin", id: other.id })).toEqual({ ok: true });
    const { app } = await attemptSignIn("google", "admin", appConfig());
    expect(app.jar.get("authjs.session-token")).toBeTruthy();
    expect(await getDb().user.findUniqueOrThrow({ where: { id: admin.id } })).toMatchObject({ role: "USER", roleSource: "MANUAL" });

    // And promoted by hand, then dropped from the list: still an admin.
    expect(await setUserRole(admin.id, "ADMIN", { type: "admin", id: other.id })).toEqual({ ok: true });
    vi.stubEnv("ADMIN_EMAILS", "someone-else@example.com");
    await attemptSignIn("google", "admin", appConfig());
    expect(await getDb().user.findUniqueOrThrow({ where: { id: admin.id } })).toMatchObject({ role: "ADMIN", roleSource: "MANUAL" });
    vi.stubEnv("ADMIN_EMAILS", "admin@example.com");
  });
});

describe("buildAuthProviders", () => {
  const optionsOf = (env: Record<string, string>) =>
    Object.fromEntries(
      buildAuthProviders(env).map((provider) => {
        const resolved = typeof provider === "function" ? provider() : provider;
        return [resolved.id, resolved.options as Record<string, unknown>];
      }),
    );

  it("returns nothing without credentials or a demo IdP", () => {
    expect(buildAuthProviders({})).toEqual([]);
  });

  it("real mode: only configured providers; Google offline + consent, Entra offline_access and an offline profile()", async () => {
    const options = optionsOf({
      AUTH_GOOGLE_ID: "g-id",
      AUTH_GOOGLE_SECRET: "g-secret",
      AUTH_MICROSOFT_ENTRA_ID_ID: "m-id",
      AUTH_MICROSOFT_ENTRA_ID_SECRET: "m-secret",
      AUTH_MICROSOFT_ENTRA_ID_ISSUER: "https://login.microsoftonline.com/contoso/v2.0",
      DEMO_IDP_ISSUER: "http://127.0.0.1:1",
      DEMO_IDP_CLIENT_SECRET: "ignored",
    });
    expect(Object.keys(options)).toEqual(["google", "microsoft-entra-id"]);
    expect(options.google).toMatchObject({
      clientId: "g-id",
      authorization: { params: { access_type: "offline", prompt: "consent", scope: "openid email profile" } },
    });
    expect(options.google).not.toHaveProperty("allowDangerousEmailAccountLinking");
    const entra = options["microsoft-entra-id"] as { issuer: string; authorization: { params: { scope: string } }; profile: (p: object) => unknown };
    expect(entra.issuer).toBe("https://login.microsoftonline.com/contoso/v2.0");
    expect(entra.authorization.params.scope.split(" ")).toContain("offline_access");
    // No network: the override does not fetch a Graph photo.
    expect(await entra.profile({ sub: "s", name: "N", email: "n@example.com" })).toEqual({ id: "s", name: "N", email: "n@example.com", image: null });
    // preferred_username is never an email.
    expect(await entra.profile({ sub: "s", name: "N", preferred_username: "n@example.com" })).toEqual({ id: "s", name: "N", email: null, image: null });
  });

  it("demo mode: the three provider ids at the demo IdP, with email linking", () => {
    const options = optionsOf({ DEMO_IDP_ISSUER: "http://127.0.0.1:4321/", DEMO_IDP_CLIENT_SECRET: "s" });
    expect(Object.keys(options)).toEqual(["google", "microsoft-entra-id", "github"]);
    for (const id of PROVIDER_IDS)
      expect(options[id]).toMatchObject({
        clientId: DEMO_CLIENT_IDS[id],
        clientSecret: "s",
        issuer: "http://127.0.0.1:4321",
        allowDangerousEmailAccountLinking: true,
      });
    expect(options.github).toMatchObject({
      authorization: { url: "http://127.0.0.1:4321/auth" },
      token: "http://127.0.0.1:4321/token",
      userinfo: { url: "http://127.0.0.1:4321/github/user" },
    });
  });
});
