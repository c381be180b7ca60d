// First: it installs the AsyncLocalStorage global that Next's modules capture when they load.
import { runServerAction } from "../helpers/run-server-action";
import { randomBytes } from "node:crypto";
import * as client from "openid-client";
import { afterAll, afterEach, beforeAll, expect, it, vi } from "vitest";
import { GET as metadataRoute } from "@/app/.well-known/oauth-authorization-server/route";
import { decideDeviceAuthorizationAction } from "@/app/device/actions";
import { POST as deviceAuthorizationRoute } from "@/app/api/oauth/device_authorization/route";
import { POST as tokenRoute } from "@/app/api/oauth/token/route";
import { GET as meRoute } from "@/app/api/v1/me/route";
import { getDb } from "@/lib/db/client";
import { logger } from "@/lib/log/logger";
import { revokeApplicationGrant, listAuthorizedApplications } from "@/lib/oauth-apps/authorized-applications";
import { createApplication, createApplicationSchema } from "@/lib/oauth-apps/create-application";
import { hashDeviceCode, hashUserCode, normalizeUserCode } from "@/lib/oauth-apps/device-authorization-codes";
import { DEVICE_GUESSES_PER_ADDRESS, DEVICE_GUESSES_PER_PERSON, findPendingDeviceAuthorization } from "@/lib/oauth-apps/device-authorization-approval";
import { createServiceClient } from "@/lib/service-clients/create-service-client";
import { createSessionCookie, createUser } from "../helpers/fixtures";
import { serveRouteHandlers } from "../helpers/serve-route-handlers";
import { describeOnEachDatabase } from "../helpers/test-database";

/*
 * Issue 22 item 7, the device authorization grant (RFC 8628): how a CLI signs in. openid-client v6 runs the
 * flow over HTTP against the real route handlers; the person decides through the /device page's server
 * action (run as Next runs it, with a session cookie); the tokens work at /api/v1/me.
 *
 * Mutation checks (each made once, saw red, restored):
 * - lib/oauth-apps/device-authorization-poll.ts: `if (row.usedAt) return invalidGrant(…)` and the usedAt claim
 *   removed → "a second poll after success is invalid_grant" fails (a second pair is issued).
 * - lib/oauth-apps/device-authorization-poll.ts: `tooSoon` forced to false → "polling faster than the interval" fails.
 * - lib/oauth-apps/device-authorization-approval.ts: the peekWindows check removed → "wrong user codes are
 *   rate-limited" fails (the right code still opens the consent after 10 wrong ones).
 */

const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
const FORM = { "content-type": "application/x-www-form-urlencoded" };

type Started = { device_code: string; user_code: string; verification_uri: string; verification_uri_complete: string; expires_in: number; interval: number };

let ipCounter = 0;
const freshIp = () => `198.51.100.${++ipCounter}`;

afterEach(() => vi.restoreAllMocks());

describeOnEachDatabase("device authorization grant (RFC 8628)", () => {
  let server: { url: string; close(): Promise<void> };
  let owner: { id: string };

  beforeAll(async () => {
    server = await serveRouteHandlers({
      "GET /.well-known/oauth-authorization-server": metadataRoute,
      "POST /api/oauth/device_authorization": deviceAuthorizationRoute,
      "POST /api/oauth/token": tokenRoute,
      "GET /api/v1/me": meRoute,
    });
    owner = await createUser({ email: `cli-dev-${randomBytes(3).toString("hex")}@example.com` });
  });
  afterAll(async () => server?.close());

  async function newApp(confidential = false, defaultScopes?: string[]) {
    const created = await createApplication(
      owner.id,
      createApplicationSchema.parse({ name: `cli-${Math.random()}`, redirectUris: ["http://127.0.0.1:8765/cb"], confidential }),
      null,
    );
    if (!created.ok) throw new Error(created.message);
    if (defaultScopes) await getDb().oAuthApplication.update({ where: { id: created.view.id }, data: { defaultScopes } });
    return { id: created.view.id, clientId: created.view.clientId, clientSecret: created.clientSecret };
  }

  async function post(path: string, form: Record<string, string>, headers: Record<string, string> = {}) {
    const response = await fetch(server.url + path, { method: "POST", headers: { ...FORM, ...headers }, body: new URLSearchParams(form) });
    const text = await response.text();
    return { status: response.status, json: JSON.parse(text) as Record<string, unknown> };
  }
  const start = async (clientId: string, scope: string | null = "profile:read") => {
    const answer = await post("/api/oauth/device_authorization", { client_id: clientId, ...(scope === null ? {} : { scope }) });
    expect(answer.status).toBe(200);
    return answer.json as Started;
  };
  const poll = (clientId: string, deviceCode: string) => post("/api/oauth/token", { grant_type: DEVICE_GRANT, device_code: deviceCode, client_id: clientId });
  const me = (token: string) => fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
  /** Lets the next poll through the interval check, as if the device had waited. */
  const waited = (deviceCode: string) =>
    getDb().oAuthDeviceAuthorization.update({ where: { deviceCodeHash: hashDeviceCode(deviceCode) }, data: { lastPolledAt: new Date(Date.now() - 60_000) } });

  async function signedIn() {
    const person = await createUser();
    return { id: person.id, cookie: await createSessionCookie(person.id), ip: freshIp() };
  }
  /** The person's Approve / Deny on /device, through the server action. */
  async function decide(person: { cookie: string; ip: string }, userCode: string, decision: "approve" | "deny") {
    const form = new FormData();
    form.set("user_code", userCode);
    form.set("decision", decision);
    return runServerAction(decideDeviceAuthorizationAction, form, { cookie: person.cookie, "x-forwarded-for": person.ip }, "/device");
  }

  it("openid-client: discovery, device authorization, the person approves at /device, polling gets tokens that work at /api/v1/me", async () => {
    const app = await newApp();
    const config = await client.discovery(new URL(server.url), app.clientId, undefined, client.None(), {
      algorithm: "oauth2",
      execute: [client.allowInsecureRequests],
    });
    const metadata = config.serverMetadata();
    expect(metadata.device_authorization_endpoint).toBe(`${server.url}/api/oauth/device_authorization`);
    expect(metadata.grant_types_supported).toContain(DEVICE_GRANT);

    const started = await client.initiateDeviceAuthorization(config, { scope: "profile:read connections:read" });
    expect(started.user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(started).toMatchObject({
      verification_uri: `${server.url}/device`,
      verification_uri_complete: `${server.url}/device?user_code=${started.user_code}`,
      expires_in: 600,
      interval: 5,
    });

    // The CLI polls (every 5 s); the person approves after its first poll was answered authorization_pending.
    const tokens = client.pollDeviceAuthorizationGrant(config, started);
    const row = () => getDb().oAuthDeviceAuthorization.findUniqueOrThrow({ where: { deviceCodeHash: hashDeviceCode(started.device_code) } });
    await vi.waitFor(async () => expect((await row()).lastPolledAt).not.toBeNull(), { timeout: 9_000, interval: 200 });
    expect((await row()).approvedAt).toBeNull();
    const person = await signedIn();
    // Typed as people type it: lower case, no dash.
    expect(await decide(person, started.user_code.replace("-", "").toLowerCase(), "approve")).toEqual({
      kind: "redirect",
      location: "/device?notice=device_approved",
    });

    const issued = await tokens;
    expect(issued.access_token).toMatch(/^tsr_oat_/);
    expect(issued.refresh_token).toMatch(/^tsr_ort_/);
    expect(issued).toMatchObject({ token_type: "bearer", expires_in: 3600, scope: "profile:read connections:read" });
    const answer = await me(issued.access_token);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ id: person.id, application: { clientId: app.clientId } });

    // The same grant as the authorization-code consent: listed under the person's authorized applications.
    const [grant] = (await listAuthorizedApplications(person.id)).filter((g) => g.application.clientId === app.clientId);
    expect(grant?.scopes).toEqual(["profile:read", "connections:read"]);
    const events = await getDb().auditEvent.findMany({ where: { subjectUserId: person.id, action: "application.authorized" } });
    expect(events.map((e) => e.detail)).toEqual([expect.objectContaining({ clientId: app.clientId, flow: "device" })]);
  }, 30_000);

  it("authorization_pending while waiting, slow_down when polled too fast (the interval grows by 5 s), then tokens once; a second poll after success is invalid_grant", async () => {
    const app = await newApp();
    const started = await start(app.clientId);
    expect(await poll(app.clientId, started.device_code)).toEqual({
      status: 400,
      json: { error: "authorization_pending", error_description: expect.any(String) },
    });
    const fast = await poll(app.clientId, started.device_code);
    expect(fast).toEqual({ status: 400, json: { error: "slow_down", error_description: "Polling too fast: wait 10 seconds between requests." } });
    expect((await getDb().oAuthDeviceAuthorization.findUniqueOrThrow({ where: { deviceCodeHash: hashDeviceCode(started.device_code) } })).interval).toBe(10);
    // Still too fast for the new interval.
    expect((await poll(app.clientId, started.device_code)).json).toMatchObject({
      error: "slow_down",
      error_description: "Polling too fast: wait 15 seconds between requests.",
    });

    await decide(await signedIn(), started.user_code, "approve");
    await waited(started.device_code);
    const ok = await poll(app.clientId, started.device_code);
    expect(ok.status).toBe(200);
    expect((await me(String(ok.json.access_token))).status).toBe(200);
    await waited(started.device_code);
    expect(await poll(app.clientId, started.device_code)).toMatchObject({ status: 400, json: { error: "invalid_grant" } });
    // Another app cannot redeem this app's device code either.
    const other = await newApp();
    expect((await poll(other.clientId, started.device_code)).json).toMatchObject({ error: "invalid_grant" });
  });

  // Checked red once: with a refused poll stamping lastPolledAt again (lib/oauth-apps/device-authorization-poll.ts), the
  // client below was told slow_down on every poll, forever (the e2e device flow timed out under load that way).
  it("a client that never saw a slow_down someone else caused still gets its tokens by following the slow_downs it sees", async () => {
    const app = await newApp();
    const started = await start(app.clientId);
    const hash = hashDeviceCode(started.device_code);
    const rewind = async (seconds: number) => {
      const row = await getDb().oAuthDeviceAuthorization.findUniqueOrThrow({ where: { deviceCodeHash: hash } });
      await getDb().oAuthDeviceAuthorization.update({ where: { id: row.id }, data: { lastPolledAt: new Date(row.lastPolledAt!.getTime() - seconds * 1000) } });
    };
    expect((await poll(app.clientId, started.device_code)).json.error).toBe("authorization_pending"); // the client, interval 5
    expect((await poll(app.clientId, started.device_code)).json.error).toBe("slow_down"); // a second poller: the server's interval is 10
    await decide(await signedIn(), started.user_code, "approve");
    // The client waits its 5 s: too soon for the server, and it learns of a slow_down (its interval becomes 10).
    await rewind(5);
    expect((await poll(app.clientId, started.device_code)).json.error).toBe("slow_down");
    // It waits its 10 s: 15 s since the last poll that was answered, which the server (now at 15) accepts.
    await rewind(10);
    expect((await poll(app.clientId, started.device_code)).status).toBe(200);
  });

  it("access_denied after the person denies, expired_token after expiry; neither can be approved afterwards", async () => {
    const app = await newApp();
    const person = await signedIn();
    const denied = await start(app.clientId);
    expect(await decide(person, denied.user_code, "deny")).toEqual({ kind: "redirect", location: "/device?notice=device_denied" });
    expect(await poll(app.clientId, denied.device_code)).toMatchObject({ status: 400, json: { error: "access_denied" } });
    expect(await decide(person, denied.user_code, "approve")).toEqual({ kind: "redirect", location: "/device?notice=device_code_invalid" });

    const expired = await start(app.clientId);
    await getDb().oAuthDeviceAuthorization.update({
      where: { deviceCodeHash: hashDeviceCode(expired.device_code) },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect(await poll(app.clientId, expired.device_code)).toMatchObject({ status: 400, json: { error: "expired_token" } });
    expect(await decide(person, expired.user_code, "approve")).toEqual({ kind: "redirect", location: "/device?notice=device_code_invalid" });
    expect(await poll(app.clientId, expired.device_code)).toMatchObject({ status: 400, json: { error: "expired_token" } });

    // Approved, then the person revokes the app before the device polls: nothing to redeem.
    const revoked = await start(app.clientId);
    await decide(person, revoked.user_code, "approve");
    const grant = (await listAuthorizedApplications(person.id)).find((g) => g.application.clientId === app.clientId)!;
    await revokeApplicationGrant(person.id, grant.grantId, { type: "user", id: person.id }, null);
    expect((await poll(app.clientId, revoked.device_code)).json).toMatchObject({ error: "invalid_grant" });
  });

  it("the device authorization endpoint: default scopes, client authentication as at the token endpoint, invalid_scope", async () => {
    const app = await newApp(false, ["connections:read"]);
    const started = await start(app.clientId, null);
    const row = await getDb().oAuthDeviceAuthorization.findUniqueOrThrow({ where: { deviceCodeHash: hashDeviceCode(started.device_code) } });
    expect(row.scopes).toEqual(["connections:read"]);
    expect((await post("/api/oauth/device_authorization", { client_id: app.clientId, scope: "admin" })).json).toMatchObject({ error: "invalid_scope" });
    // A public client sending a secret, an unknown client, no client at all: invalid_client.
    expect((await post("/api/oauth/device_authorization", { client_id: app.clientId, client_secret: "tsr_as_x" })).status).toBe(401);
    expect((await post("/api/oauth/device_authorization", { client_id: "tsr_app_nope" })).status).toBe(401);
    expect((await post("/api/oauth/device_authorization", { scope: "profile:read" })).status).toBe(401);

    const confidential = await newApp(true);
    const basic = { authorization: `Basic ${Buffer.from(`${confidential.clientId}:${confidential.clientSecret}`).toString("base64")}` };
    expect((await post("/api/oauth/device_authorization", { client_id: confidential.clientId })).status).toBe(401);
    const ok = await post("/api/oauth/device_authorization", { scope: "profile:read" }, basic);
    expect(ok.status).toBe(200);
    expect(await post("/api/oauth/token", { grant_type: DEVICE_GRANT, device_code: String(ok.json.device_code) }, basic)).toMatchObject({
      json: { error: "authorization_pending" },
    });

    const admin = await createUser({ role: "ADMIN" });
    const service = await createServiceClient(
      { name: `device-svc-${Math.random()}`, permissions: ["tokens:introspect"] },
      { type: "admin", id: admin.id },
      null,
    );
    if (!service.ok) throw new Error(service.message);
    const serviceBasic = { authorization: `Basic ${Buffer.from(`${service.view.clientId}:${service.clientSecret}`).toString("base64")}` };
    expect(await post("/api/oauth/device_authorization", {}, serviceBasic)).toMatchObject({ status: 400, json: { error: "unauthorized_client" } });
  });

  it("wrong user codes are rate-limited per person and per address: over the limit even the right code is refused", async () => {
    const app = await newApp();
    const started = await start(app.clientId);
    const person = await signedIn();
    for (let i = 0; i < DEVICE_GUESSES_PER_PERSON; i++) {
      expect(await decide(person, `BBBB-BBB${"CDFGHJKLMN"[i]}`, "approve")).toEqual({ kind: "redirect", location: "/device?notice=device_code_invalid" });
    }
    expect(await decide(person, started.user_code, "approve")).toEqual({ kind: "redirect", location: "/device?notice=device_code_rate_limited" });
    expect((await poll(app.clientId, started.device_code)).json).toMatchObject({ error: "authorization_pending" });
    // The same person from another address is still limited; another person at a fresh address is not.
    expect(await findPendingDeviceAuthorization(started.user_code, person.id, freshIp())).toEqual({ ok: false, reason: "rate_limited" });
    expect(await findPendingDeviceAuthorization(started.user_code, (await signedIn()).id, freshIp())).toMatchObject({ ok: true });

    // Many people behind one address: the address's own limit.
    const shared = freshIp();
    let guesses = 0;
    while (guesses < DEVICE_GUESSES_PER_ADDRESS) {
      const someone = (await createUser()).id;
      for (let i = 0; i < DEVICE_GUESSES_PER_PERSON - 1 && guesses < DEVICE_GUESSES_PER_ADDRESS; i++, guesses++) {
        expect(await findPendingDeviceAuthorization("ZZZZ-ZZZZ", someone, shared)).toEqual({ ok: false, reason: "invalid" });
      }
    }
    expect(await findPendingDeviceAuthorization(started.user_code, (await createUser()).id, shared)).toEqual({ ok: false, reason: "rate_limited" });
  });

  it("device codes, user codes and tokens never reach the logs or the audit trail, and only their hashes are stored", async () => {
    const spies = [
      ...(["debug", "info", "warn", "error"] as const).map((level) => vi.spyOn(logger, level)),
      ...(["log", "info", "warn", "error"] as const).map((level) => vi.spyOn(console, level)),
    ];
    const app = await newApp();
    const person = await signedIn();
    const started = await start(app.clientId);
    await poll(app.clientId, started.device_code);
    await poll(app.clientId, started.device_code);
    await decide(person, `${started.user_code.slice(0, -1)}${started.user_code.endsWith("B") ? "C" : "B"}`, "approve");
    await decide(person, started.user_code, "approve");
    await waited(started.device_code);
    const tokens = (await poll(app.clientId, started.device_code)).json;
    await poll(app.clientId, started.device_code);

    const planted = [started.device_code, started.user_code, normalizeUserCode(started.user_code)!, String(tokens.access_token), String(tokens.refresh_token)];
    const logged = JSON.stringify(spies.flatMap((spy) => spy.mock.calls));
    const audit = JSON.stringify(await getDb().auditEvent.findMany({ where: { subjectUserId: person.id } }));
    expect(audit).toContain("application.authorized");
    const row = await getDb().oAuthDeviceAuthorization.findUniqueOrThrow({ where: { userCodeHash: hashUserCode(normalizeUserCode(started.user_code)!) } });
    const stored = JSON.stringify(row);
    for (const value of planted) {
      for (const [where, text] of [
        ["logs", logged],
        ["audit", audit],
        ["database", stored],
      ] as const)
        expect(text.includes(value), `${where} holds a code or token value`).toBe(false);
    }
  });
});
