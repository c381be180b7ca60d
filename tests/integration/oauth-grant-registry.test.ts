import { beforeAll, expect, it } from "vitest";
import { POST as introspectRoute } from "@/app/api/oauth/introspect/route";
import { POST as revokeRoute } from "@/app/api/oauth/revoke/route";
import { POST as tokenRoute } from "@/app/api/oauth/token/route";
import { createApplication, createApplicationSchema } from "@/lib/oauth-apps/create-application";
import { getPool } from "@/lib/db/client";
import { DEVICE_CODE_GRANT } from "@/lib/oauth/grants/device-code";
import { findGrant, GRANT_TYPES } from "@/lib/oauth/grants/registry";
import { RATE_LIMIT_KEY_PREFIX } from "@/lib/rate-limit/consume-client-rate-limit";
import { createServiceClient } from "@/lib/service-clients/create-service-client";
import { TOKEN_EXCHANGE_GRANT } from "@/lib/service-clients/exchange-for-provider-token";
import { callRoute, createUser } from "../helpers/fixtures";
import { describeOnEachDatabase } from "../helpers/test-database";

/*
 * Issue 21 §4: POST /api/oauth/token dispatches through one grant registry (lib/oauth/grants/registry.ts)
 * after one client authentication. Every registered grant is reachable by the kind of client it is for;
 * the other kind and unknown grants get the answers they always got.
 * Mutation checks (each made once, saw red, restored):
 * - lib/oauth/grants/registry.ts: the `["refresh_token", refreshTokenGrant]` entry removed → "every
 *   registered grant…" fails (the list, and refresh_token answers unsupported_grant_type).
 * - lib/oauth/grants/registry.ts refusedGrant: the error fixed to "unsupported_grant_type" → "the other kind
 *   of client…" fails (an application asking for client_credentials is no longer unauthorized_client).
 * - lib/oauth/handle-token-request.ts: `countServiceCall: grant?.clientKind === "service"` changed to `true`
 *   → "…counts nothing" fails (a service client's refused requests spent its per-minute budget).
 * - app/api/oauth/introspect/route.ts: `if (caller?.kind !== "service") throw invalidClient();` removed →
 *   "introspection stays…" fails (an application's credentials got a 500 instead of invalid_client).
 */
describeOnEachDatabase("token endpoint: the grant registry", () => {
  const REDIRECT = "https://app.example/callback";
  let service: { id: string; basic: string };
  let app: { basic: string; clientId: string; wrongSecret: string };
  let publicAppClientId: string;

  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;

  beforeAll(async () => {
    const created = await createServiceClient(
      { name: `registry-${Math.random()}`, permissions: ["credentials:github:read"] },
      { type: "admin", id: "test-admin" },
      null,
    );
    if (!created.ok) throw new Error(created.message);
    service = { id: created.view.id, basic: basic(created.view.clientId, created.clientSecret) };
    const owner = await createUser();
    const application = await createApplication(
      owner.id,
      createApplicationSchema.parse({ name: `registry-${Math.random()}`, redirectUris: [REDIRECT], confidential: true }),
      null,
    );
    if (!application.ok) throw new Error(application.message);
    const secret = application.clientSecret!;
    app = {
      basic: basic(application.view.clientId, secret),
      clientId: application.view.clientId,
      wrongSecret: basic(application.view.clientId, `${secret.slice(0, -1)}${secret.endsWith("A") ? "B" : "A"}`),
    };
    const publicApp = await createApplication(
      owner.id,
      createApplicationSchema.parse({ name: `registry-public-${Math.random()}`, redirectUris: [REDIRECT], confidential: false }),
      null,
    );
    if (!publicApp.ok) throw new Error(publicApp.message);
    publicAppClientId = publicApp.view.clientId;
  });

  const token = (authorization: string, form: Record<string, string>) =>
    callRoute(tokenRoute, {
      method: "POST",
      path: "/api/oauth/token",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization },
      body: new URLSearchParams(form).toString(),
    });
  const answer = async (authorization: string, form: Record<string, string>) => {
    const response = await token(authorization, form);
    const body = response.json();
    return { status: response.status, error: body.error as string | undefined, description: body.error_description as string | undefined };
  };

  it("every registered grant answers its own kind of client (never unsupported_grant_type or unauthorized_client)", async () => {
    expect(GRANT_TYPES).toEqual(["client_credentials", TOKEN_EXCHANGE_GRANT, "authorization_code", "refresh_token", DEVICE_CODE_GRANT]);
    const seen: Record<string, string> = {};
    for (const grantType of GRANT_TYPES) {
      const kind = findGrant(grantType)!.clientKind;
      const { status, error } = await answer(kind === "service" ? service.basic : app.basic, { grant_type: grantType });
      seen[grantType] = `${kind} ${status} ${error ?? "ok"}`;
    }
    // Each grant ran: a token for client_credentials, its own input check for the others.
    expect(seen).toEqual({
      client_credentials: "service 200 ok",
      [TOKEN_EXCHANGE_GRANT]: "service 400 invalid_request",
      authorization_code: "application 400 invalid_request",
      refresh_token: "application 400 invalid_request",
      [DEVICE_CODE_GRANT]: "application 400 invalid_request",
    });
  });

  it("the other kind of client: an application asking for a service grant is unauthorized_client; a service client asking for an application grant unsupported_grant_type", async () => {
    for (const grantType of ["client_credentials", TOKEN_EXCHANGE_GRANT]) {
      expect(await answer(app.basic, { grant_type: grantType }), grantType).toEqual({
        status: 400,
        error: "unauthorized_client",
        description: "Applications use authorization_code and refresh_token.",
      });
    }
    for (const grantType of ["authorization_code", "refresh_token"]) {
      expect(await answer(service.basic, { grant_type: grantType }), grantType).toEqual({
        status: 400,
        error: "unsupported_grant_type",
        description: "Supported: client_credentials and token exchange.",
      });
    }
  });

  it("an unknown grant (including Object.prototype names) is unsupported_grant_type for both kinds, after invalid_client, and counts nothing", async () => {
    await getPool().query(`DELETE FROM "RateLimit" WHERE key = $1`, [RATE_LIMIT_KEY_PREFIX + service.id]);
    for (const grantType of ["password", "implicit", "constructor", "__proto__", "toString"]) {
      expect(await answer(service.basic, { grant_type: grantType }), grantType).toEqual({
        status: 400,
        error: "unsupported_grant_type",
        description: "Supported: client_credentials and token exchange.",
      });
      expect(await answer(app.basic, { grant_type: grantType }), grantType).toEqual({
        status: 400,
        error: "unsupported_grant_type",
        description: "Applications use authorization_code and refresh_token.",
      });
      expect((await answer(basic("tsr_svc_unknown", "wrong"), { grant_type: grantType })).error, grantType).toBe("invalid_client");
    }
    await answer(service.basic, { grant_type: "refresh_token" });
    const { rows } = await getPool().query(`SELECT points FROM "RateLimit" WHERE key = $1`, [RATE_LIMIT_KEY_PREFIX + service.id]);
    expect(rows).toEqual([]);
  });

  it("introspection stays for service clients (an application is invalid_client); revocation takes either kind, or none", async () => {
    const call = (route: typeof revokeRoute, path: string, form: Record<string, string>, authorization?: string) =>
      callRoute(route, {
        method: "POST",
        path,
        headers: { "content-type": "application/x-www-form-urlencoded", ...(authorization ? { authorization } : {}) },
        body: new URLSearchParams(form).toString(),
      });
    for (const [label, form, authorization] of [
      ["confidential app", { token: "x" }, app.basic],
      ["public app", { token: "x", client_id: publicAppClientId }, undefined],
      ["no client", { token: "x" }, undefined],
    ] as const) {
      const refused = await call(introspectRoute, "/api/oauth/introspect", form, authorization);
      expect([refused.status, refused.json().error], label).toEqual([401, "invalid_client"]);
    }
    for (const [label, form, authorization] of [
      ["confidential app", { token: "x" }, app.basic],
      ["public app", { token: "x", client_id: publicAppClientId }, undefined],
      ["service client", { token: "x" }, service.basic],
      ["no client", { token: "x" }, undefined],
    ] as const) {
      const revoked = await call(revokeRoute, "/api/oauth/revoke", form, authorization);
      expect([revoked.status, revoked.json()], label).toEqual([200, {}]);
    }
    const wrong = await call(revokeRoute, "/api/oauth/revoke", { token: "x" }, app.wrongSecret);
    expect([wrong.status, wrong.json().error]).toEqual([401, "invalid_client"]);
  });
});
