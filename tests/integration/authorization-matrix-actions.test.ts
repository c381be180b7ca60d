import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { SERVER_ACTION, withAction } from "@/lib/actions/with-action";
import { NOTICES, type NoticeCode } from "@/lib/actions/notices";
import { getDb } from "@/lib/db/client";
import { hashSessionToken } from "@/lib/auth/hash-session-token";
import { logger } from "@/lib/log/logger";
import { NotConnectedError } from "@/lib/provider-tokens/errors";
import { createConnectRequest } from "@/lib/connect/create-connect-request";
import { storeSignInTokens } from "@/lib/provider-tokens/store-sign-in-tokens";
import { s256 } from "@/lib/oauth-apps/app-secrets";
import { issueAuthorizationCode } from "@/lib/oauth-apps/authorize-application";
import { listAuthorizedApplications } from "@/lib/oauth-apps/authorized-applications";
import { validateAuthorizationRequest } from "@/lib/oauth-apps/authorization-request";
import { createApplication, createApplicationSchema } from "@/lib/oauth-apps/create-application";
import { startDeviceAuthorization } from "@/lib/oauth-apps/device-authorization";
import { issuerFor } from "@/lib/oauth/authorization-server-metadata";
import { createServiceClient } from "@/lib/service-clients/create-service-client";
import { createSessionCookie, createTokenAsUser, createUser } from "../helpers/fixtures";
import { describeOnEachDatabase } from "../helpers/test-database";

/*
 * The server-action half of the authorisation matrix (the route half: authorization-matrix.test.ts).
 * Every "use server" file under app/ is found on disk; each export must come from withAction (its
 * marker), must have a row in ACTIONS, and is run as signed out / user A / user B / admin, plus once
 * with junk input; the outcome must equal the row. Wherever an action sends the browser with a
 * notice, the page there must render <NoticeAlert>.
 *
 * Next's request APIs are replaced: `next/headers` reads the caller below, Auth.js's signIn/signOut
 * answer with the redirect they would make, and redirect()/notFound() are caught by their digest.
 *
 * Mutation checks (each made once, saw this file go red, restored):
 * - lib/actions/with-action.ts: `options.audience === "admin" ? await requireAdminViewer(returnTo)` changed to
 *   `requireViewer` → every admin action's user / otherUser cell fails (it ran instead of 404).
 * - lib/pat/revoke-token.ts: `where: { id: tokenId, userId }` changed to `where: { id: tokenId }` →
 *   `revokeTokenAction` as otherUser and as admin fail (token_revoked instead of token_not_found).
 */

const caller = vi.hoisted(() => ({ cookie: "" as string }));

vi.mock("next/headers", () => ({
  headers: async () => new Headers({ host: "localhost:3000", "x-forwarded-for": "203.0.113.9", ...(caller.cookie ? { cookie: caller.cookie } : {}) }),
  cookies: async () => {
    const [name, value] = caller.cookie.split("=");
    return { get: (key: string) => (caller.cookie && key === name ? { name, value } : undefined) };
  },
}));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));
vi.mock("@/auth", async () => {
  const { redirect } = await import("next/navigation");
  return {
    signIn: vi.fn(async (provider: string) => redirect(`https://idp.example/authorize/${provider}`)),
    signOut: vi.fn(async ({ redirectTo }: { redirectTo: string }) => redirect(redirectTo)),
    handlers: {},
    auth: vi.fn(),
  };
});

const APP_DIR = join(process.cwd(), "app");
const ROOTS = ["app", "lib", "components"].map((dir) => join(process.cwd(), dir));

type Who = "signedOut" | "user" | "otherUser" | "admin";
const EVERYONE: Who[] = ["signedOut", "user", "otherUser", "admin"];

/**
 * What a call ended in: `notice:<code>@<path>` (redirected back with a notice), `signin` (sent to sign
 * in), `404`, `redirect:<url>` (elsewhere, e.g. to the identity provider), `done` (no redirect: the page re-renders).
 */
type Outcome = string;

type World = { user: { id: string; cookie: string }; otherUser: { id: string; cookie: string }; admin: { id: string; cookie: string } };

type Row = {
  /** Fields for one call, made fresh (so a success never changes the next cell); resources belong to A. */
  fields?: (world: World) => Promise<Record<string, string>>;
  expect: Record<Who, Outcome>;
  /** The same action with junk input, as its own audience (signed out for public, A for user, admin for admin). */
  junk: Outcome;
};

async function patOfA(world: World): Promise<string> {
  const created = await createTokenAsUser({ id: world.user.id, role: "USER" }, { name: `a-${Math.random()}`, scopes: ["profile:read"], expiresInDays: 1 });
  if (!created.ok) throw new Error(created.message);
  return created.view.id;
}

/** Another signed-in browser of A's. */
async function sessionOfA(world: World): Promise<string> {
  const cookie = await createSessionCookie(world.user.id);
  const row = await getDb().session.findUniqueOrThrow({ where: { sessionToken: hashSessionToken(cookie.slice(cookie.indexOf("=") + 1)) } });
  return row.id;
}

/** A fresh user for admin actions to act on (so revoke-all or a role change never touches A, B or the admin). */
async function target(): Promise<{ id: string }> {
  const user = await createUser();
  await createSessionCookie(user.id);
  await storeSignInTokens(user.id, "github", { accessToken: `target-gh-${Math.random()}` });
  return user;
}

async function pendingTarget(): Promise<{ id: string }> {
  const user = await target();
  await getDb().providerConnection.updateMany({
    where: { userId: user.id },
    data: { status: "REVOCATION_FAILED", revocationError: "provider could not be reached" },
  });
  return user;
}

/** A's app and a request for it, as the consent screen posts it back. */
async function authorizationFields(world: World): Promise<Record<string, string>> {
  const app = await createApplication(
    world.user.id,
    createApplicationSchema.parse({ name: `matrix-app-${Math.random()}`, redirectUris: ["https://app.example/cb"], confidential: true }),
    null,
  );
  if (!app.ok) throw new Error(app.message);
  return {
    client_id: app.view.clientId,
    redirect_uri: "https://app.example/cb",
    response_type: "code",
    scope: "profile:read",
    state: "matrix",
    code_challenge: s256("v".repeat(43)),
    code_challenge_method: "S256",
    decision: "deny",
  };
}

/** A device's pending request for a fresh app of A's, as the /device consent form posts it back (Deny). */
async function deviceDecisionFields(world: World): Promise<Record<string, string>> {
  const app = await createApplication(
    world.user.id,
    createApplicationSchema.parse({ name: `matrix-cli-${Math.random()}`, redirectUris: ["https://app.example/cb"], confidential: false }),
    null,
  );
  if (!app.ok) throw new Error(app.message);
  const started = await startDeviceAuthorization(
    { id: app.view.id, clientId: app.view.clientId, name: app.view.name, confidential: false, ownerUserId: world.user.id },
    { scope: "profile:read" },
    { issuer: "http://localhost:3000", ip: null },
  );
  if (!started.ok) throw new Error(started.error);
  return { user_code: started.userCode, decision: "deny" };
}

/** A grant of A's to a fresh app (what "Authorized applications" revokes). */
async function grantOfA(world: World): Promise<string> {
  const fields = await authorizationFields(world);
  const validation = await validateAuthorizationRequest(fields);
  if (!validation.ok) throw new Error("refused");
  await issueAuthorizationCode(world.user.id, validation.request, { consented: true, ip: null });
  return (await listAuthorizedApplications(world.user.id)).find((grant) => grant.application.clientId === fields.client_id)!.grantId;
}

const DENIED = `redirect:https://app.example/cb?${new URLSearchParams({ error: "access_denied", error_description: "The person denied the request.", state: "matrix", iss: issuerFor(new Headers(), "http://localhost:3000") })}`;

const onUserPage = (code: NoticeCode) => (id: string) => `notice:${code}@/admin/users/${id}`;

const IDP = (provider: string) => `redirect:https://idp.example/authorize/${provider}`;

/** The expected outcome of every server action × caller. `$target` stands for the user the call acted on. */
const ACTIONS: Record<string, Row> = {
  "app/actions/sign-out.ts#signOutAction": {
    expect: { signedOut: "redirect:/", user: "redirect:/", otherUser: "redirect:/", admin: "redirect:/" },
    junk: "redirect:/",
  },
  "app/signin/actions.ts#signInAction": {
    fields: async () => ({ provider: "github", callbackUrl: "/settings/tokens" }),
    expect: { signedOut: IDP("github"), user: IDP("github"), otherUser: IDP("github"), admin: IDP("github") },
    junk: "notice:invalid_input@/signin",
  },
  "app/settings/tokens/actions.ts#revokeTokenAction": {
    fields: async (world) => ({ tokenId: await patOfA(world) }),
    expect: {
      signedOut: "signin",
      user: "notice:token_revoked@/settings/tokens",
      otherUser: "notice:token_not_found@/settings/tokens",
      admin: "notice:token_not_found@/settings/tokens",
    },
    junk: "notice:invalid_input@/settings/tokens",
  },
  // Issue 25: a token's detail page. `$token` is the id the row made for A.
  "app/settings/tokens/actions.ts#updateTokenDetailsAction": {
    fields: async (world) => ({ tokenId: await patOfA(world), name: `renamed-${Math.random()}`, description: "Backs up the wiki." }),
    expect: {
      signedOut: "signin",
      user: "notice:token_updated@/settings/tokens/$token",
      otherUser: "notice:token_not_found@/settings/tokens",
      admin: "notice:token_not_found@/settings/tokens",
    },
    junk: "notice:invalid_input@/settings/tokens",
  },
  // Each caller revokes only their own tokens: A has one (made for the row); B and the admin hold none.
  "app/settings/tokens/actions.ts#revokeAllTokensAction": {
    fields: async (world) => ({ tokenId: await patOfA(world) }),
    expect: {
      signedOut: "signin",
      user: "notice:tokens_revoked_all@/settings/tokens",
      otherUser: "notice:no_tokens_to_revoke@/settings/tokens",
      admin: "notice:no_tokens_to_revoke@/settings/tokens",
    },
    // Junk fields are ignored (the action takes none); A holds the tokens the B and admin cells made for A.
    junk: "notice:tokens_revoked_all@/settings/tokens",
  },
  // Issue 25: your sessions. A's session is signed out by A only; B and the admin cannot name it.
  "app/settings/sessions/actions.ts#signOutSessionAction": {
    fields: async (world) => ({ sessionId: await sessionOfA(world) }),
    expect: {
      signedOut: "signin",
      user: "notice:session_signed_out@/settings/sessions",
      otherUser: "notice:session_not_found@/settings/sessions",
      admin: "notice:session_not_found@/settings/sessions",
    },
    junk: "notice:invalid_input@/settings/sessions",
  },
  // Each caller signs out only their own other sessions (the one calling stays: the next cells still use it).
  "app/settings/sessions/actions.ts#signOutOtherSessionsAction": {
    expect: {
      signedOut: "signin",
      user: "notice:sessions_signed_out@/settings/sessions",
      otherUser: "notice:sessions_signed_out@/settings/sessions",
      admin: "notice:sessions_signed_out@/settings/sessions",
    },
    junk: "notice:sessions_signed_out@/settings/sessions",
  },
  // Each caller marks only their own notices read (markNotificationsRead filters by the viewer's id).
  "app/actions/notifications.ts#markNotificationsReadAction": {
    fields: async (world) => {
      const notice = await getDb().notification.create({
        data: { userId: world.user.id, kind: "pat.expiring", title: "t", body: "b", dedupeKey: `matrix-${Math.random()}` },
      });
      return { notificationId: notice.id };
    },
    expect: {
      signedOut: "signin",
      user: "notice:notifications_read@/settings/tokens",
      otherUser: "notice:notifications_read@/settings/tokens",
      admin: "notice:notifications_read@/settings/tokens",
    },
    // The junk fields are all unknown to it (it has only an optional id): ignored, and it marks A's own notices.
    junk: "notice:notifications_read@/settings/tokens",
  },
  // A holds GitHub tokens; GitHub is not configured in tests, so nothing is revoked at a provider (no network).
  "app/settings/connections/actions.ts#disconnectAction": {
    fields: async (world) => {
      await storeSignInTokens(world.user.id, "github", { accessToken: `a-gh-${Math.random()}` });
      return { provider: "github" };
    },
    // B and the admin disconnect their own (absent) GitHub access: nothing of A's is touched.
    expect: {
      signedOut: "signin",
      user: "notice:disconnected_not_supported@/settings/connections?provider=github",
      otherUser: "notice:disconnected@/settings/connections?provider=github",
      admin: "notice:disconnected@/settings/connections?provider=github",
    },
    junk: "notice:invalid_input@/settings/connections",
  },
  // Each caller blocks a service for themselves; the block is keyed on the caller, never on a form field.
  "app/settings/connections/actions.ts#setServiceBlockAction": {
    fields: async (world) => {
      const created = await createServiceClient(
        { name: `matrix-svc-${Math.random()}`, permissions: ["credentials:github:read"] },
        { type: "admin", id: world.admin.id },
        null,
      );
      if (!created.ok) throw new Error(created.message);
      return { provider: "github", serviceClientId: created.view.id, blocked: "true" };
    },
    expect: {
      signedOut: "signin",
      user: "notice:service_blocked@/settings/connections?provider=github",
      otherUser: "notice:service_blocked@/settings/connections?provider=github",
      admin: "notice:service_blocked@/settings/connections?provider=github",
    },
    junk: "notice:invalid_input@/settings/connections",
  },
  "app/settings/connections/actions.ts#reconnectAction": {
    fields: async () => ({ provider: "google" }),
    expect: { signedOut: "signin", user: IDP("google"), otherUser: IDP("google"), admin: IDP("google") },
    junk: "notice:invalid_input@/settings/connections",
  },
  "app/settings/connections/actions.ts#linkAction": {
    fields: async () => ({ provider: "microsoft-entra-id" }),
    expect: { signedOut: "signin", user: IDP("microsoft-entra-id"), otherUser: IDP("microsoft-entra-id"), admin: IDP("microsoft-entra-id") },
    junk: "notice:invalid_input@/settings/connections",
  },
  // Issue 23: connecting through Tessera's own client. Slack is not enabled in tests: refused before anything is written.
  "app/settings/connections/actions.ts#connectAction": {
    fields: async () => ({ provider: "slack", scopes: "channels:read" }),
    expect: {
      signedOut: "signin",
      user: "notice:connect_provider_disabled@/settings/connections?provider=slack",
      otherUser: "notice:connect_provider_disabled@/settings/connections?provider=slack",
      admin: "notice:connect_provider_disabled@/settings/connections?provider=slack",
    },
    junk: "notice:invalid_input@/settings/connections",
  },
  // A's connect link (a service asked A for more GitHub access): only A may follow it, even an admin may not.
  "app/connect/actions.ts#continueConnectAction": {
    fields: async (world) => {
      const link = await createConnectRequest({
        userId: world.user.id,
        provider: "github",
        scopes: ["repo"],
        requestedBy: { kind: "service", id: "s", name: "matrix" },
      });
      return { requestId: link.id };
    },
    expect: {
      signedOut: "signin",
      // GitHub is not configured in tests: A gets as far as the provider check.
      user: "notice:connect_provider_disabled@/settings/connections",
      otherUser: "notice:connect_other_person@/settings/connections",
      admin: "notice:connect_other_person@/settings/connections",
    },
    junk: "notice:invalid_input@/settings/connections",
  },
  // The consent screen (issue 12): whoever is signed in decides for themselves; Deny goes back to the app.
  "app/oauth/authorize/actions.ts#decideAuthorizationAction": {
    fields: authorizationFields,
    expect: { signedOut: "signin", user: DENIED, otherUser: DENIED, admin: DENIED },
    junk: "notice:invalid_input@/oauth/authorize",
  },
  // The device flow's consent (/device, issue 22): whoever is signed in decides for themselves.
  "app/device/actions.ts#decideDeviceAuthorizationAction": {
    fields: deviceDecisionFields,
    expect: { signedOut: "signin", user: "notice:device_denied@/device", otherUser: "notice:device_denied@/device", admin: "notice:device_denied@/device" },
    junk: "notice:invalid_input@/device",
  },
  "app/settings/applications/actions.ts#revokeGrantAction": {
    fields: async (world) => ({ grantId: await grantOfA(world) }),
    expect: {
      signedOut: "signin",
      user: "notice:application_revoked@/settings/applications/authorized",
      otherUser: "notice:grant_not_found@/settings/applications/authorized",
      admin: "notice:grant_not_found@/settings/applications/authorized",
    },
    junk: "notice:invalid_input@/settings/applications/authorized",
  },
  "app/admin/applications/actions.ts#setApplicationStatusAction": {
    fields: async (world) => ({
      applicationId: (
        (await createApplication(
          world.user.id,
          createApplicationSchema.parse({ name: `matrix-${Math.random()}`, redirectUris: ["https://app.example/cb"], confidential: false }),
          null,
        )) as { view: { id: string } }
      ).view.id,
      status: "DISABLED",
    }),
    expect: { signedOut: "signin", user: "404", otherUser: "404", admin: "notice:application_disabled@/admin/applications" },
    junk: "notice:invalid_input@/admin/applications",
  },
  // Issue 22: a client nobody registered by hand (no owner) is deleted by an admin only.
  "app/admin/applications/actions.ts#deleteUnownedApplicationAction": {
    fields: async () => ({
      applicationId: (
        await getDb().oAuthApplication.create({
          data: {
            id: `app_${Math.random().toString(36).slice(2, 14).padEnd(12, "x")}`,
            clientId: `https://matrix.example/${Math.random()}.json`,
            name: "matrix-dcr",
            redirectUris: ["https://app.example/cb"],
            confidential: false,
            registration: "METADATA_DOCUMENT",
          },
        })
      ).id,
    }),
    expect: { signedOut: "signin", user: "404", otherUser: "404", admin: "notice:application_deleted@/admin/applications" },
    junk: "notice:invalid_input@/admin/applications",
  },
  "app/admin/applications/actions.ts#setClientRegistrationPolicyAction": {
    fields: async () => ({ policy: "open" }),
    expect: { signedOut: "signin", user: "404", otherUser: "404", admin: "notice:client_registration_policy_saved@/admin/applications" },
    junk: "notice:invalid_input@/admin/applications",
  },
  "app/admin/actions.ts#revokeAllAction": {
    fields: async () => ({ userId: (await target()).id }),
    expect: { signedOut: "signin", user: "404", otherUser: "404", admin: "done" },
    junk: "notice:invalid_input@/admin/users",
  },
  "app/admin/actions.ts#revokeProviderAction": {
    fields: async () => ({ userId: (await target()).id, provider: "github" }),
    expect: { signedOut: "signin", user: "404", otherUser: "404", admin: onUserPage("provider_tokens_not_revoked")("$target") + "?provider=github" },
    junk: "notice:invalid_input@/admin/users",
  },
  // A connection revoke-all left failed at the provider: the admin gives up on the provider.
  "app/admin/actions.ts#deleteWithoutRevocationAction": {
    fields: async () => ({ userId: (await pendingTarget()).id, provider: "github" }),
    expect: { signedOut: "signin", user: "404", otherUser: "404", admin: onUserPage("revocation_discarded")("$target") + "?provider=github" },
    junk: "notice:invalid_input@/admin/users",
  },
  // Nothing pending for this target: the retry has nothing to do (and says so) — the retry itself is covered in revoke-all.test.ts.
  "app/admin/actions.ts#retryRevocationAction": {
    fields: async () => ({ userId: (await target()).id, provider: "github" }),
    expect: { signedOut: "signin", user: "404", otherUser: "404", admin: onUserPage("nothing_pending")("$target") + "?provider=github" },
    junk: "notice:invalid_input@/admin/users",
  },
  "app/admin/actions.ts#revokePatAction": {
    fields: async (world) => ({ userId: world.user.id, tokenId: await patOfA(world) }),
    expect: { signedOut: "signin", user: "404", otherUser: "404", admin: onUserPage("token_revoked")("$target") },
    junk: "notice:invalid_input@/admin/users",
  },
  "app/admin/actions.ts#endSessionsAction": {
    fields: async () => ({ userId: (await target()).id }),
    expect: { signedOut: "signin", user: "404", otherUser: "404", admin: onUserPage("sessions_ended")("$target") + "?count=1" },
    junk: "notice:invalid_input@/admin/users",
  },
  "app/admin/actions.ts#setRoleAction": {
    fields: async () => ({ userId: (await target()).id, role: "ADMIN" }),
    expect: { signedOut: "signin", user: "404", otherUser: "404", admin: onUserPage("role_changed")("$target") },
    junk: "notice:invalid_input@/admin/users",
  },
};

type ActionExport = { key: string; file: string; name: string; action: unknown };

function sourceFiles(root: string): string[] {
  return (readdirSync(root, { recursive: true }) as string[])
    .filter((file) => /\.tsx?$/.test(file) && !file.endsWith(".test.ts"))
    .map((file) => join(root, file));
}

const USE_SERVER = /^(?:\s|\/\/[^\n]*\n|\/\*[\s\S]*?\*\/)*["']use server["']/;

/** Every export of every "use server" file (the only place this app declares server actions). */
async function discoverActions(): Promise<ActionExport[]> {
  const found: ActionExport[] = [];
  for (const path of ROOTS.flatMap(sourceFiles)
    .filter((path) => USE_SERVER.test(readFileSync(path, "utf8")))
    .sort()) {
    const file = relative(process.cwd(), path).split(sep).join("/");
    const exports = (await import(path)) as Record<string, unknown>;
    for (const [name, action] of Object.entries(exports)) found.push({ key: `${file}#${name}`, file, name, action });
  }
  return found;
}

/** Runs an action as Next would for a form post and names how it ended. */
async function outcomeOf(action: unknown, cookie: string, fields: Record<string, string>): Promise<Outcome> {
  caller.cookie = cookie;
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.set(key, value);
  try {
    await (action as (formData: FormData) => Promise<void>)(form);
    return "done";
  } catch (error) {
    const digest = String((error as { digest?: unknown }).digest ?? "");
    if (digest === "NEXT_HTTP_ERROR_FALLBACK;404") return "404";
    if (digest.startsWith("NEXT_REDIRECT;")) {
      const url = digest.split(";")[2]!;
      if (url.startsWith("/signin?callbackUrl=")) return "signin";
      const parsed = new URL(url, "http://app.invalid");
      const notice = parsed.searchParams.get("notice");
      if (parsed.origin !== "http://app.invalid" || !notice) return `redirect:${url}`;
      parsed.searchParams.delete("notice");
      return `notice:${notice}@${parsed.pathname}${parsed.search}`;
    }
    throw error;
  } finally {
    caller.cookie = "";
  }
}

/** The page file Next would render for a path (dynamic segments match anything). */
function pageFileFor(pathname: string): string | null {
  let dir = APP_DIR;
  for (const segment of pathname.split("/").filter(Boolean)) {
    if (existsSync(join(dir, segment))) dir = join(dir, segment);
    else {
      const dynamic = readdirSync(dir).find((entry) => /^\[[^.\]]+\]$/.test(entry));
      if (!dynamic) return null;
      dir = join(dir, dynamic);
    }
  }
  const page = join(dir, "page.tsx");
  return existsSync(page) ? page : null;
}

describe("withAction", () => {
  const probe = (run: () => Promise<void>) => withAction({ audience: "public", returnTo: "/somewhere", schema: z.object({ name: z.string().min(1) }) }, run);

  it("sends bad input, domain failures and the unexpected back as notices, logging only the unexpected", async () => {
    const log = vi.spyOn(logger, "error").mockImplementation(() => undefined);
    expect(
      await outcomeOf(
        probe(async () => undefined),
        "",
        {},
      ),
    ).toBe("notice:invalid_input@/somewhere");
    expect(
      await outcomeOf(
        probe(async () => z.string().parse(1) as never),
        "",
        { name: "x" },
      ),
    ).toBe("notice:invalid_input@/somewhere");
    expect(
      await outcomeOf(
        probe(async () => Promise.reject(new NotConnectedError("google"))),
        "",
        { name: "x" },
      ),
    ).toBe("notice:not_connected@/somewhere?provider=google");
    expect(log).not.toHaveBeenCalled();
    expect(
      await outcomeOf(
        probe(async () => Promise.reject(new Error("database on fire"))),
        "",
        { name: "x" },
      ),
    ).toBe("notice:unexpected_error@/somewhere");
    expect(log).toHaveBeenCalledOnce();
    log.mockRestore();
  });

  it("lets Next's redirect and notFound through untouched, and marks what it returns", async () => {
    const { notFound, redirect } = await import("next/navigation");
    expect(
      await outcomeOf(
        probe(async () => redirect("/elsewhere")),
        "",
        { name: "x" },
      ),
    ).toBe("redirect:/elsewhere");
    expect(
      await outcomeOf(
        probe(async () => notFound()),
        "",
        { name: "x" },
      ),
    ).toBe("404");
    expect(
      await outcomeOf(
        probe(async () => undefined),
        "",
        { name: "x" },
      ),
    ).toBe("done");
    expect((probe(async () => undefined) as unknown as Record<symbol, unknown>)[SERVER_ACTION]).toEqual({ audience: "public" });
  });
});

describeOnEachDatabase("authorisation matrix: server actions", () => {
  let actions: ActionExport[];
  let world: World;

  beforeAll(async () => {
    actions = await discoverActions();
    const make = async (role: "USER" | "ADMIN" = "USER") => {
      const user = await createUser({ role });
      return { id: user.id, cookie: await createSessionCookie(user.id) };
    };
    world = { user: await make(), otherUser: await make(), admin: await make("ADMIN") };
  });

  it("finds the server actions (a sanity check on the discovery itself)", () => {
    expect(actions.map((a) => a.key)).toContain("app/admin/actions.ts#revokeAllAction");
    expect(actions.map((a) => a.key)).toContain("app/actions/sign-out.ts#signOutAction");
  });

  it('declares server actions only in "use server" files, never inline in a component', () => {
    const inline = ROOTS.flatMap(sourceFiles).filter((path) => {
      const text = readFileSync(path, "utf8");
      return !USE_SERVER.test(text) && /["']use server["']/.test(text);
    });
    expect(inline.map((path) => relative(process.cwd(), path))).toEqual([]);
  });

  it('every export of a "use server" file is an action made by withAction (nothing else is callable)', () => {
    const unwrapped = actions.filter(({ action }) => typeof action !== "function" || !(SERVER_ACTION in action)).map((a) => a.key);
    expect(unwrapped).toEqual([]);
  });

  it("every action has a row in the table, and every row an action", () => {
    expect(actions.map((a) => a.key).sort()).toEqual(Object.keys(ACTIONS).sort());
  });

  it("every caller gets the outcome in the table, and every notice lands on a page that shows it", async () => {
    const mismatches: string[] = [];
    const landed = new Set<string>();
    for (const { key, action } of actions.filter((a) => ACTIONS[a.key])) {
      const row = ACTIONS[key]!;
      const cells: [string, string, Outcome][] = EVERYONE.map((who) => [who, who === "signedOut" ? "" : world[who].cookie, row.expect[who]]);
      const audience = (action as Record<symbol, { audience: string }>)[SERVER_ACTION]?.audience;
      cells.push(["junk input", audience === "admin" ? world.admin.cookie : audience === "user" ? world.user.cookie : "", row.junk]);
      for (const [who, cookie, expected] of cells) {
        const fields = who === "junk input" ? { userId: "", tokenId: "'; drop table", provider: "myspace", role: "ROOT" } : ((await row.fields?.(world)) ?? {});
        const got = await outcomeOf(action, cookie, fields);
        const want = expected.replace("$target", fields.userId ?? "").replace("$token", fields.tokenId ?? "");
        if (got !== want) mismatches.push(`${key} as ${who}: expected ${want}, got ${got}`);
        if (got.startsWith("notice:")) landed.add(got.slice(got.indexOf("@") + 1).split("?")[0]!);
      }
    }
    expect(mismatches).toEqual([]);
    for (const pathname of landed) {
      const page = pageFileFor(pathname);
      expect(page, `no page at ${pathname}`).not.toBeNull();
      expect(readFileSync(page!, "utf8"), `${relative(process.cwd(), page!)} does not render <NoticeAlert>`).toContain("<NoticeAlert");
    }
    expect([...landed].sort()).toEqual(expect.arrayContaining(["/admin/users", "/settings/connections", "/settings/tokens", "/signin"]));
  });

  it("an admin action on a user that is gone reports on the user list, which shows it", async () => {
    const action = actions.find((a) => a.key === "app/admin/actions.ts#revokeAllAction")!.action;
    const gone = await createUser();
    await getDb().user.delete({ where: { id: gone.id } });
    expect(await outcomeOf(action, world.admin.cookie, { userId: gone.id })).toBe("notice:user_not_found@/admin/users");
    expect(NOTICES.user_not_found.tone).toBe("error");
  });
});
