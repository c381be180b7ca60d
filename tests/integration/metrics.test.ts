import { afterEach, expect, it, vi } from "vitest";
import { POST as oauthTokenRoute } from "@/app/api/oauth/token/route";
import * as metricsRoute from "@/app/api/metrics/route";
import * as meRoute from "@/app/api/v1/me/route";
import { getDb } from "@/lib/db/client";
import { generatePatSecret } from "@/lib/pat/format";
import { getFreshAccessToken } from "@/lib/provider-tokens/get-fresh-access-token";
import { createServiceClient } from "@/lib/service-clients/create-service-client";
import { connectedUser } from "../helpers/connected-user";
import { startDemoIdpForFile } from "../helpers/demo-idp";
import { storeSignInTokens } from "@/lib/provider-tokens/store-sign-in-tokens";
import { callRoute, createTokenAsUser, createUser } from "../helpers/fixtures";
import { describeOnEachDatabase } from "../helpers/test-database";

/*
 * Guarded lines: lib/metrics/authorize-metrics-request.ts `return ip === "127.0.0.1" || ip === "::1" ? …`
 * (made `"allowed"` once: the remote caller got 200, this went red) and the counters in
 * lib/oauth-apps/verify-bearer-token.ts and lib/provider-tokens/count-token-handout.ts (wrapped around the token exchange in
 * lib/service-clients/exchange-for-provider-token.ts).
 */

const scrape = (headers: Record<string, string>) => callRoute(metricsRoute.GET, { path: "/api/metrics", headers });

const demoIdp = startDemoIdpForFile();
afterEach(() => {
  vi.unstubAllEnvs();
  Object.assign(demoIdp().faults, { tokenStatus: null });
});

/** The value of one sample line (`name{labels} value`), 0 when absent. */
function sample(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line ? Number(line.split(" ").pop()) : 0;
}

describeOnEachDatabase("GET /api/metrics", () => {
  it("answers loopback callers without METRICS_TOKEN, refuses others; with METRICS_TOKEN only its bearer", async () => {
    vi.stubEnv("METRICS_TOKEN", "");
    const local = await scrape({ "x-forwarded-for": "127.0.0.1" });
    expect(local.status).toBe(200);
    expect(local.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(local.text).toContain("# TYPE tessera_pat_verifications_total counter");
    expect(local.text).toContain('tessera_db_pool_connections{state="max"}');
    expect((await scrape({ "x-forwarded-for": "198.51.100.7" })).status).toBe(403);

    vi.stubEnv("METRICS_TOKEN", "metrics-scrape-secret-0123456789");
    expect((await scrape({ "x-forwarded-for": "127.0.0.1" })).status).toBe(401);
    expect((await scrape({ "x-forwarded-for": "198.51.100.7", authorization: "Bearer wrong" })).status).toBe(401);
    expect((await scrape({ "x-forwarded-for": "198.51.100.7", authorization: "Bearer metrics-scrape-secret-0123456789" })).status).toBe(200);
  });

  it("counts PAT verifications and token handouts by outcome, and no label carries a user id, an email or a token", async () => {
    vi.stubEnv("METRICS_TOKEN", "");
    const user = await createUser({ email: `metrics-${Math.random().toString(36).slice(2)}@example.com` });
    const created = await createTokenAsUser({ id: user.id, role: "USER" }, { name: "metrics", scopes: ["profile:read"], expiresInDays: 1 });
    if (!created.ok) throw new Error(created.message);
    await storeSignInTokens(user.id, "github", { accessToken: "metrics-github-access-token" });
    const unknownPat = generatePatSecret();

    const before = (await scrape({ "x-forwarded-for": "127.0.0.1" })).text;
    const me = (token: string) =>
      callRoute(meRoute.GET, { path: "/api/v1/me", headers: { authorization: `Bearer ${token}`, "x-forwarded-for": "198.51.100.9" } });
    expect((await me(created.token)).status).toBe(200);
    expect((await me(unknownPat)).status).toBe(401);
    const service = await createServiceClient(
      { name: `metrics-${Math.random()}`, permissions: ["credentials:github:read"] },
      { type: "admin", id: "test-admin" },
      null,
    );
    if (!service.ok) throw new Error(service.message);
    const handout = (id: string) =>
      callRoute(oauthTokenRoute, {
        method: "POST",
        path: "/api/oauth/token",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          authorization: `Basic ${Buffer.from(`${service.view.clientId}:${service.clientSecret}`).toString("base64")}`,
        },
        body: new URLSearchParams({
          grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
          subject_token: id,
          subject_token_type: "urn:tessera:params:oauth:token-type:user-id",
          audience: "github",
        }).toString(),
      });
    expect((await handout(user.id)).status).toBe(200);
    expect((await handout("nobody-at-all")).status).toBe(400);

    const after = (await scrape({ "x-forwarded-for": "127.0.0.1" })).text;
    const grew = (series: string) => sample(after, series) - sample(before, series);
    expect(grew('tessera_pat_verifications_total{outcome="ok"}')).toBe(1);
    expect(grew('tessera_pat_verifications_total{outcome="not_found"}')).toBe(1);
    // By service too (issue 15: token exchanges by service, provider and outcome): its name, never its client id.
    expect(grew(`tessera_token_handouts_total{service="${service.view.name}",provider="github",outcome="ok"}`)).toBe(1);
    expect(grew(`tessera_token_handouts_total{service="${service.view.name}",provider="github",outcome="not_connected"}`)).toBe(1);

    for (const secret of [
      user.id,
      user.email,
      created.token,
      unknownPat,
      "metrics-github-access-token",
      service.clientSecret,
      service.view.clientId,
      "nobody-at-all",
    ]) {
      expect(after).not.toContain(secret);
    }
  });

  it("counts provider refreshes by provider and outcome, with their latency", async () => {
    vi.stubEnv("METRICS_TOKEN", "");
    const { user } = await connectedUser(demoIdp(), "google", { expired: true });
    const failing = await connectedUser(demoIdp(), "google", { expired: true });
    const before = (await scrape({ "x-forwarded-for": "127.0.0.1" })).text;
    expect((await getFreshAccessToken(user.id, "google")).refreshed).toBe(true);
    demoIdp().faults.tokenStatus = 503;
    await expect(getFreshAccessToken(failing.user.id, "google")).rejects.toThrow();
    const after = (await scrape({ "x-forwarded-for": "127.0.0.1" })).text;
    const grew = (series: string) => sample(after, series) - sample(before, series);
    expect(grew('tessera_provider_refreshes_total{provider="google",outcome="ok"}')).toBe(1);
    expect(grew('tessera_provider_refreshes_total{provider="google",outcome="unavailable"}')).toBe(1);
    expect(grew('tessera_provider_refresh_duration_seconds_count{provider="google",outcome="ok"}')).toBe(1);
    expect(after).not.toContain(user.id);
    // The same latency lands in the audit events the admin's provider health panel reads.
    const events = await getDb().auditEvent.findMany({
      where: { subjectUserId: { in: [user.id, failing.user.id] }, action: { in: ["provider_token.refreshed", "provider_token.refresh_failed"] } },
    });
    expect(events.map((event) => typeof (event.detail as { latencyMs?: unknown })?.latencyMs).sort()).toEqual(["number", "number"]);
  });
});
