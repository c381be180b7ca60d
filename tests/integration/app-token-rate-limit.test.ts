import { randomBytes } from "node:crypto";
import { beforeAll, expect, it } from "vitest";
import { POST as tokenRoute } from "@/app/api/oauth/token/route";
import { s256 } from "@/lib/oauth-apps/app-secrets";
import { APP_FAILURES_PER_MINUTE, APP_RATE_LIMIT_PER_MINUTE } from "@/lib/oauth-apps/app-token-limits";
import { issueAuthorizationCode } from "@/lib/oauth-apps/authorize-application";
import { validateAuthorizationRequest } from "@/lib/oauth-apps/authorization-request";
import { createApplication, createApplicationSchema } from "@/lib/oauth-apps/create-application";
import { getPool } from "@/lib/db/client";
import { RATE_LIMIT_KEY_PREFIX } from "@/lib/rate-limit/consume-client-rate-limit";
import { callRoute, createSessionCookie, createUser } from "../helpers/fixtures";
import { describeOnEachDatabase } from "../helpers/test-database";

/*
 * Issue 20 items 4 and 8b, at POST /api/oauth/token for third-party applications.
 *
 * Item 4: a public app has no secret, so anyone can name its client_id. Junk requests (made-up codes and
 * refresh tokens) used to spend the app's 600/min budget and lock its real users out (429). Now a public
 * app's failures count per app AND address, and only requests with a valid code or refresh token spend the budget.
 * Mutation checks (each made once, saw red, restored):
 * - lib/oauth/grants/token-grant.ts (was handle-app-token-request.ts): `admitAppTokenRequest(app, ip)` replaced by the old
 *   `consumeServiceRateLimit(app.id, 600)` (every request spends the budget) → "700 junk requests…" fails:
 *   600 junk requests answered, then 429 for the whole app (its real users included).
 * - lib/oauth-apps/app-token-limits.ts: appFailureKey without `:${failureBucket(ip)}` (failures per app only)
 *   → "700 junk requests…" fails: the real user, from another address, gets 429.
 * Item 8b: an application asking for a grant Tessera does not have gets unsupported_grant_type.
 * - lib/oauth/grants/registry.ts (was handle-app-token-request.ts): refusedGrant answering unauthorized_client
 *   for an unknown grant → "an unsupported grant…" fails.
 */

const REDIRECT = "https://app.example/callback";
const JUNK_ADDRESS = "198.51.100.66";
const USER_ADDRESS = "203.0.113.20";

describeOnEachDatabase("application token endpoint: limits and grant types", () => {
  let owner: { id: string };

  beforeAll(async () => {
    owner = await createUser();
  });

  async function newApp(confidential: boolean) {
    const created = await createApplication(
      owner.id,
      createApplicationSchema.parse({ name: `limits-${Math.random()}`, redirectUris: [REDIRECT], confidential }),
      null,
    );
    if (!created.ok) throw new Error(created.message);
    return { id: created.view.id, clientId: created.view.clientId, clientSecret: created.clientSecret };
  }

  /** A signed-in person approves the app on the consent screen: a code and its verifier. */
  async function authorize(clientId: string) {
    const user = await createUser();
    await createSessionCookie(user.id);
    const codeVerifier = randomBytes(32).toString("base64url");
    const validation = await validateAuthorizationRequest({
      client_id: clientId,
      redirect_uri: REDIRECT,
      response_type: "code",
      scope: "profile:read",
      state: "s",
      code_challenge: s256(codeVerifier),
      code_challenge_method: "S256",
    });
    if (!validation.ok) throw new Error(JSON.stringify(validation));
    const code = await issueAuthorizationCode(user.id, validation.request, { consented: true, ip: null });
    if (!code) throw new Error("no code");
    return { code, codeVerifier };
  }

  const token = (form: Record<string, string>, address: string, headers: Record<string, string> = {}) =>
    callRoute(tokenRoute, {
      method: "POST",
      path: "/api/oauth/token",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": address, ...headers },
      body: new URLSearchParams(form).toString(),
    });
  const junkCode = () => randomBytes(32).toString("base64url").replace(/[-_]/g, "a").slice(0, 43);

  it("700 junk requests naming a public app from one address: that address gets 429, the app's real users still exchange and refresh", async () => {
    const app = await newApp(false);
    const other = await newApp(false);
    const grant = await authorize(app.clientId);
    const statuses = new Map<number, number>();
    let retryAfter: string | null = null;
    for (let i = 0; i < 700; i++) {
      const form: Record<string, string> =
        i % 2
          ? { grant_type: "refresh_token", refresh_token: `tsr_ort_${junkCode()}`, client_id: app.clientId }
          : { grant_type: "authorization_code", code: junkCode(), redirect_uri: REDIRECT, code_verifier: junkCode(), client_id: app.clientId };
      const response = await token(form, JUNK_ADDRESS);
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      if (response.status === 429) retryAfter ??= response.headers.get("retry-after");
    }
    // Sequential, so exact: the first failures are answered (invalid_grant), then the address is refused.
    expect(Object.fromEntries(statuses)).toEqual({ 400: APP_FAILURES_PER_MINUTE, 429: 700 - APP_FAILURES_PER_MINUTE });
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(Number(retryAfter)).toBeLessThanOrEqual(60);

    // The real user, from their own address: code exchange, then refresh.
    const exchanged = await token(
      { grant_type: "authorization_code", code: grant.code, redirect_uri: REDIRECT, code_verifier: grant.codeVerifier, client_id: app.clientId },
      USER_ADDRESS,
    );
    expect(exchanged.status, exchanged.text).toBe(200);
    const refreshed = await token({ grant_type: "refresh_token", refresh_token: exchanged.json().refresh_token, client_id: app.clientId }, USER_ADDRESS);
    expect(refreshed.status, refreshed.text).toBe(200);

    // The junk address is refused for this app only; for another app it is still answered.
    expect((await token({ grant_type: "refresh_token", refresh_token: refreshed.json().refresh_token, client_id: app.clientId }, JUNK_ADDRESS)).status).toBe(
      429,
    );
    const elsewhere = await token(
      { grant_type: "authorization_code", code: junkCode(), redirect_uri: REDIRECT, code_verifier: junkCode(), client_id: other.clientId },
      JUNK_ADDRESS,
    );
    expect([elsewhere.status, elsewhere.json().error]).toEqual([400, "invalid_grant"]);
  }, 180_000);

  it("a public app's successful requests still spend its per-minute budget", async () => {
    const app = await newApp(false);
    const grant = await authorize(app.clientId);
    // The budget's window as 600 earlier successes would leave it (same shared row every instance counts in).
    await getPool().query(`INSERT INTO "RateLimit" (key, points, expire) VALUES ($1, $2, $3)`, [
      RATE_LIMIT_KEY_PREFIX + app.id,
      APP_RATE_LIMIT_PER_MINUTE,
      Date.now() + 60_000,
    ]);
    const refused = await token(
      { grant_type: "authorization_code", code: grant.code, redirect_uri: REDIRECT, code_verifier: grant.codeVerifier, client_id: app.clientId },
      USER_ADDRESS,
    );
    expect([refused.status, refused.json().error]).toEqual([429, "rate_limited"]);
    // Refused before the grant ran: the code is still good once the window has room.
    await getPool().query(`UPDATE "RateLimit" SET points = $2 WHERE key = $1`, [RATE_LIMIT_KEY_PREFIX + app.id, APP_RATE_LIMIT_PER_MINUTE - 1]);
    const accepted = await token(
      { grant_type: "authorization_code", code: grant.code, redirect_uri: REDIRECT, code_verifier: grant.codeVerifier, client_id: app.clientId },
      USER_ADDRESS,
    );
    expect(accepted.status, accepted.text).toBe(200);
  });

  it("an unsupported grant (password) is unsupported_grant_type, a service-only grant unauthorized_client, a bad client invalid_client first", async () => {
    const publicApp = await newApp(false);
    const confidentialApp = await newApp(true);
    const basic = { authorization: `Basic ${Buffer.from(`${confidentialApp.clientId}:${confidentialApp.clientSecret}`).toString("base64")}` };
    const password = { grant_type: "password", username: "a", password: "b" };
    for (const [form, headers] of [
      [{ ...password, client_id: publicApp.clientId }, {}],
      [password, basic],
      [{ grant_type: "implicit", client_id: publicApp.clientId }, {}],
    ] as [Record<string, string>, Record<string, string>][]) {
      const response = await token(form, USER_ADDRESS, headers);
      expect([response.status, response.json().error], JSON.stringify(form)).toEqual([400, "unsupported_grant_type"]);
    }
    for (const grantType of ["client_credentials", "urn:ietf:params:oauth:grant-type:token-exchange"]) {
      const response = await token({ grant_type: grantType, client_id: publicApp.clientId }, USER_ADDRESS);
      expect([response.status, response.json().error], grantType).toEqual([400, "unauthorized_client"]);
    }
    const wrongSecret = { authorization: `Basic ${Buffer.from(`${confidentialApp.clientId}:tsr_as_${"0".repeat(49)}`).toString("base64")}` };
    const response = await token(password, USER_ADDRESS, wrongSecret);
    expect([response.status, response.json().error]).toEqual([401, "invalid_client"]);
  });
});
