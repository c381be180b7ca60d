import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, expect, it, vi } from "vitest";
import { GET as metadataRoute } from "@/app/.well-known/oauth-authorization-server/route";
import { POST as registerRoute } from "@/app/api/oauth/register/route";
import { POST as tokenRoute } from "@/app/api/oauth/token/route";
import { GET as meRoute } from "@/app/api/v1/me/route";
import { setClientRegistrationPolicy } from "@/lib/oauth-apps/client-registration-policy";
import { MAX_DYNAMIC_CLIENTS_VARIABLE } from "@/lib/config/max-dynamic-clients";
import { getDb } from "@/lib/db/client";
import { logger } from "@/lib/log/logger";
import { s256 } from "@/lib/oauth-apps/app-secrets";
import { issueAuthorizationCode } from "@/lib/oauth-apps/authorize-application";
import type { AuthorizationParams } from "@/lib/oauth-apps/authorization-request";
import { nextAuthorizationStep } from "@/lib/oauth-apps/next-authorization-step";
import { REGISTRATIONS_PER_HOUR } from "@/lib/oauth/register-client";
import { callRoute, createSessionCookie, createUser, sameOrigin } from "../helpers/fixtures";
import { serveRouteHandlers } from "../helpers/serve-route-handlers";
import { describeOnEachDatabase } from "../helpers/test-database";

/*
 * RFC 7591 dynamic client registration (issue 22) through the real route handler, under each admin policy.
 *
 * Mutation checks (each made once, saw red, restored):
 * - register-client.ts: `if (confidential && !context.admin) throw …` removed → "confidential under the default policy" fails (201).
 * - register-client.ts: `if (policy === "off") throw …` removed → "policy off" fails (201).
 * - authorization-server-metadata.ts: publishedAuthorizationServerMetadata returning `{ ...rest, registration_endpoint }` under off too → "metadata" fails.
 * - register-client.ts: the `>= limit` check removed → "overall cap" fails (201 past the cap).
 */

const REDIRECT = "http://127.0.0.1:33418/callback";
const ISSUER = "http://localhost:3000";
const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261204);

let address = 0;
/** A fresh client address per call: registrations are counted per address. */
const freshAddress = () => `198.18.${Math.floor(++address / 250) % 250}.${(address % 250) + 1}`;

describeOnEachDatabase("dynamic client registration", () => {
  let server: { url: string; close(): Promise<void> };
  let admin: { id: string; cookie: string };

  beforeAll(async () => {
    server = await serveRouteHandlers({ "POST /api/oauth/token": tokenRoute, "GET /api/v1/me": meRoute });
    const user = await createUser({ role: "ADMIN" });
    admin = { id: user.id, cookie: await createSessionCookie(user.id) };
  });
  afterAll(async () => server?.close());
  beforeEach(async () => {
    await setClientRegistrationPolicy("open", { type: "admin", id: admin.id }, null);
  });

  const register = (body: unknown, headers: Record<string, string> = {}) =>
    callRoute(registerRoute, { method: "POST", path: "/api/oauth/register", body, headers: { "x-forwarded-for": freshAddress(), ...headers } });
  const appCount = () => getDb().oAuthApplication.count();

  async function codeFor(clientId: string, redirectUri = REDIRECT) {
    const person = await createUser();
    await createSessionCookie(person.id);
    const codeVerifier = randomBytes(32).toString("base64url");
    const params: AuthorizationParams = {
      client_id: clientId,
      redirect_uri: redirectUri,
      response_type: "code",
      scope: "profile:read",
      state: "s",
      code_challenge: s256(codeVerifier),
      code_challenge_method: "S256",
    };
    const step = await nextAuthorizationStep(params, person, { issuer: ISSUER, ip: null });
    if (step.kind !== "consent") throw new Error(JSON.stringify(step));
    const code = await issueAuthorizationCode(person.id, step.request, { consented: true, ip: null });
    return { person, code: code!, codeVerifier, params, step };
  }

  it("a public client registers itself, is authorized (consent every time, with the notice data), and its token reads /api/v1/me", async () => {
    const response = await register({
      client_name: "My MCP client",
      redirect_uris: [REDIRECT],
      token_endpoint_auth_method: "none",
      grant_types: ["authorization_code", "refresh_token"],
      software_id: "ignored",
    });
    expect(response.status).toBe(201);
    const body = response.json();
    expect(body).toEqual({
      client_id: expect.stringMatching(/^tsr_app_[0-9A-Za-z]{22}$/),
      client_id_issued_at: expect.any(Number),
      client_name: "My MCP client",
      redirect_uris: [REDIRECT],
      token_endpoint_auth_method: "none",
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
    });
    expect(response.headers.get("cache-control")).toBe("no-store");
    const row = await getDb().oAuthApplication.findUniqueOrThrow({ where: { clientId: body.client_id } });
    expect(row).toMatchObject({ registration: "DYNAMIC", ownerUserId: null, confidential: false, secretHash: null });
    expect(await getDb().auditEvent.count({ where: { action: "application.registered", detail: { path: ["clientId"], equals: body.client_id } } })).toBe(1);

    const { person, code, codeVerifier, step, params } = await codeFor(body.client_id, "http://127.0.0.1:50123/callback");
    if (step.kind === "consent") expect(step.request.app).toMatchObject({ owner: null, registration: "dynamic" });
    const token = await fetch(`${server.url}/api/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code,
        redirect_uri: "http://127.0.0.1:50123/callback",
        code_verifier: codeVerifier,
        client_id: body.client_id,
      }),
    });
    expect(token.status).toBe(200);
    const { access_token } = (await token.json()) as { access_token: string };
    const me = await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${access_token}` } });
    expect(await me.json()).toMatchObject({ id: person.id, application: { clientId: body.client_id } });

    // Already granted: still the consent screen.
    const again = await nextAuthorizationStep(params, person, { issuer: ISSUER, ip: null });
    expect(again.kind).toBe("consent");
  });

  it("a confidential client under the default policy is refused without an admin, and nothing is stored", async () => {
    const before = await appCount();
    for (const method of [undefined, "client_secret_basic", "client_secret_post"]) {
      const response = await register({ redirect_uris: ["https://app.example/cb"], ...(method ? { token_endpoint_auth_method: method } : {}) });
      expect(response.status).toBe(400);
      expect(response.json()).toMatchObject({ error: "invalid_client_metadata" });
    }
    // An admin's cookie from another site's page does not count.
    const crossSite = await register(
      { redirect_uris: ["https://app.example/cb"] },
      { cookie: admin.cookie, origin: "https://evil.example", "sec-fetch-site": "cross-site" },
    );
    expect(crossSite.status).toBe(400);
    expect(await appCount()).toBe(before);
  });

  it("an admin registers a confidential client: the secret is shown once, hashed at rest, and authenticates at the token endpoint; never logged", async () => {
    const logged: string[] = [];
    const spies = (["info", "warn", "error", "debug"] as const).map((level) =>
      vi.spyOn(logger, level).mockImplementation(((...args: unknown[]) => void logged.push(JSON.stringify(args))) as never),
    );
    try {
      const response = await register(
        { client_name: "Back office", redirect_uris: ["https://backoffice.example/cb"], token_endpoint_auth_method: "client_secret_basic" },
        sameOrigin(admin.cookie),
      );
      expect(response.status).toBe(201);
      const body = response.json();
      expect(body.client_secret).toMatch(/^tsr_as_/);
      expect(body.client_secret_expires_at).toBe(0);
      const row = await getDb().oAuthApplication.findUniqueOrThrow({ where: { clientId: body.client_id } });
      expect(row).toMatchObject({ registration: "DYNAMIC", ownerUserId: null, confidential: true });
      expect(row.secretHash).not.toContain(body.client_secret);

      const { code, codeVerifier } = await codeFor(body.client_id, "https://backoffice.example/cb");
      const token = await fetch(`${server.url}/api/oauth/token`, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          authorization: `Basic ${Buffer.from(`${body.client_id}:${body.client_secret}`).toString("base64")}`,
        },
        body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: "https://backoffice.example/cb", code_verifier: codeVerifier }),
      });
      expect(token.status).toBe(200);
      const tokens = (await token.json()) as { access_token: string; refresh_token: string };

      // Plant and scan: the secret and the tokens appear in no log line, no audit event and no stored column.
      const audit = JSON.stringify(
        await getDb().auditEvent.findMany({ where: { OR: [{ detail: { path: ["clientId"], equals: body.client_id } }, { actorId: admin.id }] } }),
      );
      const stored = JSON.stringify(await getDb().oAuthApplication.findMany({ where: { clientId: body.client_id } }));
      for (const planted of [body.client_secret as string, tokens.access_token, tokens.refresh_token]) {
        expect(logged.join("\n")).not.toContain(planted);
        expect(audit).not.toContain(planted);
        expect(stored).not.toContain(planted);
      }
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });

  it("policy: off refuses everyone, admins_only refuses all but an admin, and each change is audited", async () => {
    await setClientRegistrationPolicy("off", { type: "admin", id: admin.id }, "203.0.113.1");
    const before = await appCount();
    const off = await register({ redirect_uris: [REDIRECT], token_endpoint_auth_method: "none" });
    expect(off.status).toBe(403);
    expect(off.json()).toMatchObject({ error: "access_denied" });
    expect((await register({ redirect_uris: [REDIRECT], token_endpoint_auth_method: "none" }, sameOrigin(admin.cookie))).status).toBe(403);

    await setClientRegistrationPolicy("admins_only", { type: "admin", id: admin.id }, null);
    expect((await register({ redirect_uris: [REDIRECT], token_endpoint_auth_method: "none" })).status).toBe(403);
    const person = await createUser();
    expect((await register({ redirect_uris: [REDIRECT], token_endpoint_auth_method: "none" }, sameOrigin(await createSessionCookie(person.id)))).status).toBe(
      403,
    );
    expect(await appCount()).toBe(before);
    expect((await register({ redirect_uris: [REDIRECT], token_endpoint_auth_method: "none" }, sameOrigin(admin.cookie))).status).toBe(201);

    const changes = await getDb().auditEvent.findMany({
      where: { action: "settings.client_registration_changed", actorId: admin.id },
      orderBy: { createdAt: "desc" },
      take: 2,
    });
    expect(changes.map((event) => event.detail)).toEqual([
      { from: "off", to: "admins_only" },
      { from: "open", to: "off" },
    ]);
    expect(await setClientRegistrationPolicy("admins_only", { type: "admin", id: admin.id }, null)).toEqual({ changed: false });
  });

  it("metadata: registration_endpoint is advertised under open and admins_only, not under off; nothing else changes", async () => {
    const metadata = async () => {
      const response = await callRoute(metadataRoute, { method: "GET", path: "/.well-known/oauth-authorization-server" });
      expect(response.status).toBe(200);
      expect(response.headers.get("cache-control")).toBe("no-store");
      return response.json() as Record<string, unknown>;
    };
    const open = await metadata();
    expect(open.registration_endpoint).toBe(`${open.issuer}/api/oauth/register`);
    await setClientRegistrationPolicy("admins_only", { type: "admin", id: admin.id }, null);
    expect(await metadata()).toEqual(open);
    await setClientRegistrationPolicy("off", { type: "admin", id: admin.id }, null);
    const off = await metadata();
    expect(off).not.toHaveProperty("registration_endpoint");
    const rest = { ...open };
    delete rest.registration_endpoint;
    expect(off).toEqual(rest);
  });

  it("overall cap: at most TESSERA_MAX_DYNAMIC_CLIENTS not deleted, for admins too, then 403 access_denied and nothing stored", async () => {
    const previous = process.env[MAX_DYNAMIC_CLIENTS_VARIABLE];
    const dynamicCount = () => getDb().oAuthApplication.count({ where: { registration: "DYNAMIC" } });
    try {
      process.env[MAX_DYNAMIC_CLIENTS_VARIABLE] = String((await dynamicCount()) + 1);
      const last = await register({ redirect_uris: [REDIRECT], token_endpoint_auth_method: "none" });
      expect(last.status).toBe(201);
      const before = await appCount();
      for (const headers of [{}, sameOrigin(admin.cookie)]) {
        const over = await register({ redirect_uris: [REDIRECT], token_endpoint_auth_method: "none" }, headers);
        expect(over.status).toBe(403);
        expect(over.json()).toMatchObject({ error: "access_denied", error_description: expect.stringMatching(/dynamically registered clients/) });
        expect(over.headers.get("retry-after")).toBeNull();
      }
      expect(await appCount()).toBe(before);
      // Deleting a dynamically registered client frees its slot.
      await getDb().oAuthApplication.delete({ where: { clientId: last.json().client_id } });
      expect((await register({ redirect_uris: [REDIRECT], token_endpoint_auth_method: "none" })).status).toBe(201);
    } finally {
      if (previous === undefined) delete process.env[MAX_DYNAMIC_CLIENTS_VARIABLE];
      else process.env[MAX_DYNAMIC_CLIENTS_VARIABLE] = previous;
    }
  });

  it("rate limit: at most REGISTRATIONS_PER_HOUR from one address, then 429 with Retry-After", async () => {
    const headers = { "x-forwarded-for": "192.0.2.77" };
    for (let i = 0; i < REGISTRATIONS_PER_HOUR; i++)
      expect((await register({ redirect_uris: [REDIRECT], token_endpoint_auth_method: "none" }, headers)).status).toBe(201);
    const over = await register({ redirect_uris: [REDIRECT], token_endpoint_auth_method: "none" }, headers);
    expect(over.status).toBe(429);
    expect(over.json()).toMatchObject({ error: "rate_limited" });
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another address is not affected.
    expect((await register({ redirect_uris: [REDIRECT], token_endpoint_auth_method: "none" })).status).toBe(201);
  });

  it("RFC 7591 errors: invalid_redirect_uri and invalid_client_metadata, as JSON 400; a body that is no JSON is invalid_request", async () => {
    const before = await appCount();
    const cases: [unknown, string][] = [
      [{ redirect_uris: ["http://app.example/cb"], token_endpoint_auth_method: "none" }, "invalid_redirect_uri"],
      [{ redirect_uris: ["https://app.example/cb#frag"], token_endpoint_auth_method: "none" }, "invalid_redirect_uri"],
      [{ redirect_uris: [], token_endpoint_auth_method: "none" }, "invalid_redirect_uri"],
      [{ token_endpoint_auth_method: "none" }, "invalid_redirect_uri"],
      [{ redirect_uris: "https://app.example/cb", token_endpoint_auth_method: "none" }, "invalid_redirect_uri"],
      [{ redirect_uris: [REDIRECT], token_endpoint_auth_method: "private_key_jwt" }, "invalid_client_metadata"],
      [{ redirect_uris: [REDIRECT], token_endpoint_auth_method: "none", grant_types: ["client_credentials"] }, "invalid_client_metadata"],
      [{ redirect_uris: [REDIRECT], token_endpoint_auth_method: "none", response_types: ["token"] }, "invalid_client_metadata"],
      [{ redirect_uris: [REDIRECT], token_endpoint_auth_method: "none", client_name: "x".repeat(101) }, "invalid_client_metadata"],
      [{ redirect_uris: [REDIRECT], token_endpoint_auth_method: "none", client_name: "a\u0000b" }, "invalid_client_metadata"],
      [[REDIRECT], "invalid_client_metadata"],
      ["not json {", "invalid_request"],
    ];
    for (const [body, error] of cases) {
      const response = await register(body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.json(), JSON.stringify(body)).toMatchObject({ error, error_description: expect.any(String) });
    }
    const wrongType = await register("{}", { "content-type": "text/plain" });
    expect(wrongType.status).toBe(415);
    expect(await appCount()).toBe(before);
  });

  it("fuzz: whatever JSON arrives, the answer is 201 or an RFC 7591/6749 error below 500, and a refusal stores nothing", async () => {
    const hostile = fc.oneof(
      fc.constantFrom(
        "",
        " ",
        "\u0000",
        "\uD800",
        "é".repeat(300),
        "x".repeat(5000),
        "https://",
        "javascript:alert(1)",
        "com.example.app:/cb",
        REDIRECT,
        "https://ok.example/cb",
        "http://[::1]:0/cb",
      ),
      fc.string({ maxLength: 40 }),
    );
    const anyValue = fc.oneof(
      hostile,
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(hostile, { maxLength: 3 }),
      fc.dictionary(fc.string({ maxLength: 5 }), hostile, { maxKeys: 2 }),
    );
    const metadata = fc.record(
      {
        redirect_uris: fc.oneof(fc.array(hostile, { maxLength: 12 }), anyValue),
        token_endpoint_auth_method: fc.oneof(fc.constantFrom("none", "client_secret_basic", "client_secret_post", "private_key_jwt"), anyValue),
        grant_types: fc.oneof(fc.array(fc.constantFrom("authorization_code", "refresh_token", "implicit", "client_credentials")), anyValue),
        response_types: fc.oneof(fc.constant(["code"]), anyValue),
        client_name: anyValue,
        client_uri: anyValue,
        extra: anyValue,
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(metadata, anyValue), async (body) => {
        const before = await appCount();
        const response = await register(body);
        const where = `${JSON.stringify(body).slice(0, 300)} → ${response.status} ${response.text.slice(0, 200)}`;
        expect([201, 400], where).toContain(response.status);
        if (response.status === 201) {
          expect(response.json().client_secret, where).toBeUndefined();
          expect(await appCount(), where).toBe(before + 1);
        } else {
          expect(response.json(), where).toEqual({
            error: expect.stringMatching(/^(invalid_redirect_uri|invalid_client_metadata|invalid_request)$/),
            error_description: expect.any(String),
          });
          expect(await appCount(), where).toBe(before);
        }
      }),
      { seed: FUZZ_SEED, numRuns: Number(process.env.FUZZ_RUNS ?? 60) },
    );
  });
});
