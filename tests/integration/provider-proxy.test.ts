import { NextRequest } from "next/server";
import { DISCARD_LIMIT_BYTES } from "@/lib/http/read-capped-body";
import pg from "pg";
import { afterEach, beforeAll, expect, it, vi } from "vitest";
import * as adminServicesRoute from "@/app/api/admin/services/route";
import * as adminServiceRoute from "@/app/api/admin/services/[id]/route";
import { POST as tokenRoute } from "@/app/api/oauth/token/route";
import * as proxyRoute from "@/app/api/proxy/[provider]/[...path]/route";
import { getDb } from "@/lib/db/client";
import { DEMO_API_ITEMS } from "@/lib/idp/serve-demo-api";
import { getMetrics } from "@/lib/metrics/metrics";
import { DEMO_CLIENT_IDS } from "@/lib/providers/catalog";
import { createServiceClient } from "@/lib/service-clients/create-service-client";
import { issueServiceToken } from "@/lib/service-clients/issue-service-token";
import { listServiceUsage } from "@/lib/service-clients/list-service-usage";
import { setServiceBlock } from "@/lib/service-clients/set-service-block";
import { updateServiceClient } from "@/lib/service-clients/update-service-client";
import { revokeServiceToken } from "@/lib/service-clients/verify-service-token";
import { connectedUser } from "../helpers/connected-user";
import { startDemoIdpForFile } from "../helpers/demo-idp";
import { TEST_ORIGIN, callRoute, createSessionCookie, createUser, sameOrigin } from "../helpers/fixtures";
import { getToken, setToken } from "../helpers/provider-token-rows";
import { describeOnEachDatabase } from "../helpers/test-database";

/*
 * The provider API proxy, through the real route handler (withApi included) against the demo IdP's demo API.
 * Mutation checks (each made once, saw red, restored):
 * - lib/proxy/proxy-provider-request.ts: `if (!isProxyPathAllowed(…)) throw …path_not_allowed` removed → "refused without a provider call" fails.
 * - lib/service-clients/proxy-allow-list.ts: `path.startsWith(`${prefix}/`)` changed to `path.startsWith(prefix)` → `/itemsX` gets through.
 * - lib/proxy/proxy-provider-request.ts: the `answer.statusCode === 401` branch removed → "a 401 … one refresh and one retry" fails.
 * - lib/proxy/proxy-headers.ts: "set-cookie" added to RESPONSE_HEADERS → the GET pass-through test sees the provider's cookie.
 * - lib/proxy/proxy-provider-request.ts, in toResponse: a debugging leftover `responseHeaders.set("x-debug-upstream-auth", headers.authorization)`
 *   → "nothing a service received ever held a provider token" fails.
 * - lib/proxy/proxy-provider-request.ts (issue 26): the refused call's `consumeServiceRateLimit` ignored → "refused calls spend the
 *   budget too" fails ([429, 403, 400]); the counted call's key changed → that test and "shared with the token exchange" fail.
 */

type Service = { id: string; clientId: string; name: string; token: string };

describeOnEachDatabase("provider API proxy", () => {
  const idp = startDemoIdpForFile();
  let adminId: string;
  /** Everything any proxied call answered (status line, headers, body): the leak check reads it at the end. */
  const received: string[] = [];
  const secrets: string[] = [];

  beforeAll(async () => {
    adminId = (await createUser({ role: "ADMIN" })).id;
  });
  afterEach(() => {
    Object.assign(idp().faults, { apiDelayMs: 0, apiStatus: null, apiRetryAfter: null, apiHeaders: {} });
    delete process.env.PROXY_TIMEOUT_MS;
    delete process.env.PROXY_MAX_BODY_BYTES;
  });

  async function newService(permissions: string[], proxyAllow: string[], extra: { rateLimitPerMinute?: number } = {}): Promise<Service> {
    const created = await createServiceClient({ name: `proxy-${Math.random()}`, permissions, proxyAllow, ...extra }, { type: "admin", id: adminId }, null);
    if (!created.ok) throw new Error(created.message);
    const issued = await issueServiceToken(created.view.id, permissions);
    return { id: created.view.id, clientId: created.view.clientId, name: created.view.name, token: issued.token };
  }

  async function connected(provider: "google" | "github" | "microsoft-entra-id" = "google") {
    const result = await connectedUser(idp(), provider);
    secrets.push(result.tokens.access_token, result.tokens.refresh_token ?? "", result.tokens.id_token ?? "");
    return result;
  }

  type ProxyCall = {
    method?: string;
    path: string;
    userId?: string | null;
    headers?: Record<string, string>;
    body?: BodyInit | ReadableStream<Uint8Array>;
    purpose?: string;
  };

  async function proxy(service: Service, call: ProxyCall) {
    const headers = new Headers({ authorization: `Bearer ${service.token}`, "x-forwarded-for": "203.0.113.9", ...call.headers });
    if (call.userId) headers.set("tessera-on-behalf-of", call.userId);
    if (call.purpose) headers.set("tessera-purpose", call.purpose);
    const method = call.method ?? "GET";
    const init = { method, headers, ...(call.body === undefined ? {} : { body: call.body, duplex: "half" }) } as ConstructorParameters<typeof NextRequest>[1];
    const request = new NextRequest(new URL(`/api/proxy${call.path}`, TEST_ORIGIN), init);
    const handler = proxyRoute[method as "GET"];
    const response = await handler(request, { params: Promise.resolve({ provider: "x", path: ["x"] }) });
    const bytes = new Uint8Array(await response.arrayBuffer());
    const text = new TextDecoder().decode(bytes);
    received.push(`${response.status} ${JSON.stringify([...response.headers])} ${text}`);
    return { status: response.status, headers: response.headers, bytes, text, json: () => JSON.parse(text) };
  }

  it("GET passes through: the person's answer, query and pagination headers; the caller's credentials and the provider's cookies stay behind", async () => {
    const { user, tokens } = await connected("google");
    const service = await newService(["proxy:google"], ["google:/me", "google:/items"]);
    idp().faults.apiHeaders = { "set-cookie": "provider_session=abc; Path=/", "strict-transport-security": "max-age=1", "x-ratelimit-remaining": "4999" };

    const me = await proxy(service, {
      path: "/google/me",
      userId: user.id,
      headers: { cookie: "authjs.session-token=tessera-cookie", "x-api-key": "tsr_pat_nope", accept: "application/json" },
      purpose: "profile sync",
    });
    expect(me.status).toBe(200);
    expect(me.json()).toEqual({
      sub: user.email!.split("@")[0],
      name: user.email!.split("@")[0]!.replace(/^./, (c) => c.toUpperCase()),
      email: user.email,
      email_verified: true,
      picture: expect.any(String),
    });
    expect(me.headers.get("set-cookie")).toBeNull();
    expect(me.headers.get("strict-transport-security")).toBeNull();
    expect(me.headers.get("x-ratelimit-remaining")).toBe("4999");
    expect(me.headers.get("tessera-proxy-error")).toBeNull();

    // What the provider saw: the person's token, the service's accept header, nothing of the service's own credentials.
    const seen = idp().api.last!;
    expect(seen.path).toBe("/demo-api/google/me");
    expect(seen.headers.authorization).toBe(`Bearer ${tokens.access_token}`);
    expect(seen.headers.accept).toBe("application/json");
    expect(seen.headers.cookie).toBeUndefined();
    expect(seen.headers["x-api-key"]).toBeUndefined();
    expect(seen.headers["tessera-on-behalf-of"]).toBeUndefined();
    expect(JSON.stringify(seen.headers)).not.toContain(service.token);

    const page2 = await proxy(service, { path: "/google/items?page=2", userId: user.id });
    expect(page2.status).toBe(200);
    expect(page2.json()).toMatchObject({ page: 2, nextPage: 3, total: DEMO_API_ITEMS });
    expect(page2.json().items).toHaveLength(20);
    expect(page2.headers.get("link")).toContain("page=3");
    expect(idp().api.last!.search).toBe("?page=2");
  });

  it("POST passes the JSON body through unchanged, byte for byte, for every provider", async () => {
    for (const provider of ["google", "github", "microsoft-entra-id"] as const) {
      const { user } = await connected(provider);
      const service = await newService(["proxy:*"], [`POST ${provider}:/echo`]);
      const body = JSON.stringify({ text: "héllo 🙂", nested: { list: [1, 2.5, null, true] }, spaced: "  a  " }, null, 3);
      const echoed = await proxy(service, {
        method: "POST",
        path: `/${provider}/echo`,
        userId: user.id,
        headers: { "content-type": "application/json" },
        body,
      });
      expect(echoed.status, echoed.text).toBe(200);
      expect(echoed.text).toBe(body);
      expect(echoed.headers.get("content-type")).toMatch(/^application\/json/);
    }
  });

  it("a 401 from the provider triggers exactly one refresh and one retry", async () => {
    const { user } = await connected("github");
    const service = await newService(["proxy:github"], ["github:/me", "POST github:/echo"]);
    // The stored token is one the provider no longer accepts (revoked at the provider, say) but not yet expired here.
    await setToken(user.id, "github", "access_token", "revoked-at-the-provider");
    const before = { refreshes: idp().counters.refreshGrants[DEMO_CLIENT_IDS.github]!, calls: idp().api.requests };
    const me = await proxy(service, { path: "/github/me", userId: user.id });
    expect(me.status, me.text).toBe(200);
    expect(me.json()).toMatchObject({ login: user.email!.split("@")[0] });
    expect(idp().counters.refreshGrants[DEMO_CLIENT_IDS.github]! - before.refreshes).toBe(1);
    expect(idp().api.requests - before.calls).toBe(2);
    const refreshed = await getToken(user.id, "github", "access_token");
    expect(refreshed).not.toBe("revoked-at-the-provider");
    secrets.push(refreshed!);

    // A provider that keeps refusing: still one refresh and one retry, then its 401 goes back as it is.
    idp().faults.apiStatus = 401;
    const again = { refreshes: idp().counters.refreshGrants[DEMO_CLIENT_IDS.github]!, calls: idp().api.requests };
    const refused = await proxy(service, {
      method: "POST",
      path: "/github/echo",
      userId: user.id,
      headers: { "content-type": "application/json" },
      body: '{"a":1}',
    });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("tessera-proxy-error")).toBeNull();
    expect(idp().counters.refreshGrants[DEMO_CLIENT_IDS.github]! - again.refreshes).toBe(1);
    expect(idp().api.requests - again.calls).toBe(2);
    secrets.push((await getToken(user.id, "github", "access_token"))!, (await getToken(user.id, "github", "refresh_token"))!);
  });

  it("refused without a provider call: disallowed path, wrong provider, missing permission, blocked, unknown user, unsafe paths", async () => {
    const { user } = await connected("google");
    const service = await newService(["proxy:google"], ["google:/me", "google:/items"]);
    const noPermission = await newService(["credentials:google:read"], ["google:/me"]);
    const before = idp().api.requests;

    const cases: [string, Service, ProxyCall, number, string][] = [
      ["disallowed path", service, { path: "/google/admin", userId: user.id }, 403, "path_not_allowed"],
      ["prefix is not a string prefix", service, { path: "/google/itemsX", userId: user.id }, 403, "path_not_allowed"],
      ["prefix is not a string prefix (encoded)", service, { path: "/google/me%2Fx", userId: user.id }, 400, "invalid_path"],
      ["climbing out of the prefix, encoded", service, { path: "/google/me/..%2Fadmin", userId: user.id }, 400, "invalid_path"],
      // The URL parser resolves `%2e%2e` as `..` before the route sees it: what is left is judged as it is.
      ["climbing out, encoded dots", service, { path: "/google/me/%2e%2e/admin", userId: user.id }, 403, "path_not_allowed"],
      ["climbing out, encoded dots (one)", service, { path: "/google/me/.%2e/admin", userId: user.id }, 403, "path_not_allowed"],
      ["encoded dot inside a segment", service, { path: "/google/me/x%2ey", userId: user.id }, 400, "invalid_path"],
      ["double-encoded", service, { path: "/google/me/%252e%252e/admin", userId: user.id }, 400, "invalid_path"],
      ["matrix dot segment", service, { path: "/google/me/..;/admin", userId: user.id }, 400, "invalid_path"],
      ["backslash", service, { path: "/google/me/..%5cadmin", userId: user.id }, 400, "invalid_path"],
      ["empty segment", service, { path: "/google/me//x", userId: user.id }, 400, "invalid_path"],
      ["wrong provider", service, { path: "/github/me", userId: user.id }, 403, "insufficient_permission"],
      ["unknown provider", service, { path: "/myspace/me", userId: user.id }, 404, "unknown_provider"],
      ["missing permission", noPermission, { path: "/google/me", userId: user.id }, 403, "insufficient_permission"],
      ["unknown user", service, { path: "/google/me", userId: "usr_nobody" }, 404, "not_connected"],
      ["not a user id", service, { path: "/google/me", userId: "a b" }, 404, "not_connected"],
      ["no Tessera-On-Behalf-Of", service, { path: "/google/me" }, 400, "invalid_request"],
      ["purpose too long", service, { path: "/google/me", userId: user.id, purpose: "p".repeat(201) }, 400, "invalid_request"],
    ];
    const other = await createUser();
    cases.push(["person not connected", service, { path: "/google/me", userId: other.id }, 404, "not_connected"]);
    for (const [label, who, call, status, code] of cases) {
      const response = await proxy(who, call);
      expect(response.status, `${label}: ${response.text}`).toBe(status);
      expect(response.json(), label).toEqual({ error: { code, message: expect.any(String) } });
      expect(response.headers.get("tessera-proxy-error"), label).toBe(code);
    }

    // The person blocks the service at Google: refused; other providers' blocks do not count.
    await setServiceBlock(user.id, service.id, "github", true, { type: "user", id: user.id }, null);
    expect((await proxy(service, { path: "/google/me", userId: user.id })).status).toBe(200);
    const afterAllowed = idp().api.requests;
    await setServiceBlock(user.id, service.id, "google", true, { type: "user", id: user.id }, null);
    const blocked = await proxy(service, { path: "/google/me", userId: user.id });
    expect(blocked.status).toBe(403);
    expect(blocked.json().error.code).toBe("access_denied_by_user");

    // Removing the permission after the token was issued stops the token too.
    const revoked = await newService(["proxy:google"], ["google:/me"]);
    expect((await proxy(revoked, { path: "/google/me", userId: other.id })).status).toBe(404);
    await updateServiceClient(revoked.id, { permissions: ["credentials:google:read"] }, { type: "admin", id: adminId }, null);
    expect((await proxy(revoked, { path: "/google/me", userId: user.id })).json().error.code).toBe("insufficient_permission");

    expect(idp().api.requests - afterAllowed).toBe(0);
    expect(idp().api.requests - before).toBe(1);
  });

  it("no service access token, a PAT, or a junk token: 401 before anything else", async () => {
    const { user } = await connected("google");
    const before = idp().api.requests;
    for (const authorization of [null, "Bearer tsr_sat_junk", `Bearer ${"x".repeat(40)}`, "Basic abc"]) {
      const headers = new Headers({ "tessera-on-behalf-of": user.id, "x-forwarded-for": "203.0.113.10" });
      if (authorization) headers.set("authorization", authorization);
      const response = await proxyRoute.GET(new NextRequest(new URL("/api/proxy/google/me", TEST_ORIGIN), { headers }), {
        params: Promise.resolve({ provider: "google", path: ["me"] }),
      });
      expect(response.status).toBe(401);
    }
    expect(idp().api.requests).toBe(before);
  });

  it("needs_reconnect and refresh failures map as the token exchange does; 429 and 5xx pass through with Retry-After", async () => {
    const { user } = await connected("google");
    const service = await newService(["proxy:google"], ["google:/"]);

    idp().faults.apiStatus = 503;
    idp().faults.apiRetryAfter = "7";
    const unavailable = await proxy(service, { path: "/google/me", userId: user.id });
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get("retry-after")).toBe("7");
    expect(unavailable.headers.get("tessera-proxy-error")).toBeNull();
    idp().faults.apiStatus = 429;
    idp().faults.apiRetryAfter = "30";
    const limited = await proxy(service, { path: "/google/me", userId: user.id });
    expect([limited.status, limited.headers.get("retry-after")]).toEqual([429, "30"]);
    idp().faults.apiStatus = null;

    await getDb().providerConnection.update({
      where: { userId_provider: { userId: user.id, provider: "google" } },
      data: { status: "NEEDS_RECONNECT", reconnectReason: "test" },
    });
    const reconnect = await proxy(service, { path: "/google/me", userId: user.id });
    expect(reconnect.status).toBe(409);
    expect(reconnect.json().error.code).toBe("needs_reconnect");

    const { user: backingOff } = await connected("github");
    const github = await newService(["proxy:github"], ["github:/me"]);
    await getDb().providerConnection.update({
      where: { userId_provider: { userId: backingOff.id, provider: "github" } },
      data: { accessTokenExpiresAt: new Date(Date.now() - 1000), nextRefreshAt: new Date(Date.now() + 42_000) },
    });
    const backoff = await proxy(github, { path: "/github/me", userId: backingOff.id });
    expect(backoff.status).toBe(503);
    expect(backoff.json().error.code).toBe("refresh_unavailable");
    expect(Number(backoff.headers.get("retry-after"))).toBeGreaterThan(30);
  });

  it("a 50 MiB upload is refused at the limit, never read whole: declared length at once, chunked at 10 MiB", async () => {
    const { user } = await connected("google");
    const service = await newService(["proxy:google"], ["POST google:/echo"]);
    const FIFTY_MIB = 50 * 1024 * 1024;
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    const upload = () => {
      const state = { pulled: 0 };
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (state.pulled >= FIFTY_MIB) return controller.close();
          state.pulled += chunk.byteLength;
          controller.enqueue(chunk);
        },
      });
      return { state, stream };
    };

    const declared = upload();
    const before = idp().api.requests;
    const refused = await proxy(service, {
      method: "POST",
      path: "/google/echo",
      userId: user.id,
      headers: { "content-type": "application/json", "content-length": String(FIFTY_MIB) },
      body: declared.stream,
    });
    expect(refused.status).toBe(413);
    expect(refused.json().error.code).toBe("payload_too_large");
    expect(idp().api.requests).toBe(before);
    // A ReadableStream pulls a chunk or so ahead on its own; nothing like the body.
    expect(declared.state.pulled).toBeLessThanOrEqual(chunk.byteLength * 2);

    const chunked = upload();
    const cut = await proxy(service, {
      method: "POST",
      path: "/google/echo",
      userId: user.id,
      headers: { "content-type": "application/json" },
      body: chunked.stream,
    });
    expect(cut.status).toBe(413);
    expect(chunked.state.pulled).toBeGreaterThan(10 * 1024 * 1024);
    // What follows the limit is read off the connection and dropped, so the service can read its 413
    // (lib/http/read-capped-body.ts), up to DISCARD_LIMIT_BYTES; then the stream is cancelled: never the whole 50 MiB.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(chunked.state.pulled).toBeLessThanOrEqual(10 * 1024 * 1024 + DISCARD_LIMIT_BYTES + 4 * chunk.byteLength);

    // The same limit on the provider's answer.
    process.env.PROXY_MAX_BODY_BYTES = String(1024 * 1024);
    const big = await newService(["proxy:google"], ["google:/bytes"]);
    const tooBig = await proxy(big, { path: "/google/bytes?n=2000000", userId: user.id });
    expect(tooBig.status).toBe(502);
    expect(tooBig.json().error.code).toBe("upstream_response_too_large");
  });

  it("a slow provider times out at the limit", async () => {
    const { user } = await connected("google");
    const service = await newService(["proxy:google"], ["google:/me"]);
    // Protects PROXY_TIMEOUT_MS: the proxy gives up at its limit instead of waiting for the provider. The provider
    // answers 20 s after the 1 s limit, so "before the provider answered" has seconds of room on a loaded machine.
    const limitMs = 1_000;
    const providerDelayMs = 20_000;
    process.env.PROXY_TIMEOUT_MS = String(limitMs);
    idp().faults.apiDelayMs = providerDelayMs;
    const requestsBefore = idp().api.requests;
    const started = performance.now();
    const response = await proxy(service, { path: "/google/me", userId: user.id });
    const elapsed = performance.now() - started;
    expect(response.status).toBe(504);
    expect(response.json().error.code).toBe("upstream_timeout");
    expect(idp().api.requests, "the call reached the provider").toBe(requestsBefore + 1);
    // Not before the limit (a timer never fires early; 10 ms for clock rounding)…
    expect(elapsed).toBeGreaterThanOrEqual(limitMs - 10);
    // …and long before the provider would have answered: a proxy that waits for it takes 20 s.
    expect(elapsed).toBeLessThan(providerDelayMs / 2);
  });

  it("each call is counted per minute; the first of the day per service and person is one audit event; the connections list shows it; metrics by outcome", async () => {
    const { user } = await connected("google");
    const service = await newService(["proxy:google"], ["google:/me"]);
    const okBefore = (await getMetrics().proxiedCalls.get()).values.find((v) => v.labels.service === service.name && v.labels.outcome === "ok")?.value ?? 0;
    for (let i = 0; i < 3; i++) expect((await proxy(service, { path: "/google/me", userId: user.id, purpose: `sync ${i}` })).status).toBe(200);
    await proxy(service, { path: "/google/nope", userId: user.id });

    const rows = await getDb().serviceProxyUsage.findMany({ where: { serviceClientId: service.id, userId: user.id } });
    expect(rows.reduce((sum, row) => sum + row.calls, 0)).toBe(3);
    expect(rows.at(-1)!.lastPurpose).toBe("sync 2");
    const events = await getDb().auditEvent.findMany({ where: { action: "service.proxy_used", subjectUserId: user.id } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorType: "service", actorId: service.id, provider: "google" });
    expect(events[0]!.detail).toMatchObject({ clientId: service.clientId, purpose: "sync 0", method: "GET", path: "/me", status: 200 });

    const usage = await listServiceUsage(user.id);
    expect(usage.google).toEqual([expect.objectContaining({ serviceClientId: service.id, count: 0, proxyCalls: 3, lastPurpose: "sync 2" })]);

    const values = (await getMetrics().proxiedCalls.get()).values.filter((v) => v.labels.service === service.name);
    expect(values.find((v) => v.labels.outcome === "ok")!.value - okBefore).toBe(3);
    expect(values.find((v) => v.labels.outcome === "path_not_allowed")?.value).toBe(1);
  });

  it("calls that finish together are counted together (issue 26 group commit): every call counted, still one audit event", async () => {
    const { user } = await connected("google");
    const service = await newService(["proxy:google"], ["google:/me"]);
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => proxy(service, { path: "/google/me", userId: user.id, purpose: `burst ${i}` })));
    expect(answers.map((answer) => answer.status)).toEqual(Array(12).fill(200));
    const rows = await getDb().serviceProxyUsage.findMany({ where: { serviceClientId: service.id, userId: user.id } });
    expect(rows.reduce((sum, row) => sum + row.calls, 0)).toBe(12);
    expect(rows.reduce((sum, row) => sum + row.failedCalls, 0)).toBe(0);
    expect(await getDb().auditEvent.count({ where: { action: "service.proxy_used", subjectUserId: user.id, actorId: service.id } })).toBe(1);
  });

  it("refused calls spend the budget too, and over the limit every call answers 429 before anything else (the count rides on the token read)", async () => {
    const { user } = await connected("google");
    const service = await newService(["proxy:google"], ["google:/me"], { rateLimitPerMinute: 4 });
    const requestsBefore = idp().api.requests;
    // Refused without any database read (allow-list, missing person) and refused by the read (not connected): each counted.
    expect((await proxy(service, { path: "/google/other", userId: user.id })).status).toBe(403);
    expect((await proxy(service, { path: "/google/me" })).status).toBe(400);
    expect((await proxy(service, { path: "/google/me", userId: "nobody-at-all" })).status).toBe(404);
    expect((await proxy(service, { path: "/google/me", userId: user.id })).status).toBe(200);
    const overLimit = [
      await proxy(service, { path: "/google/me", userId: user.id }),
      await proxy(service, { path: "/google/other", userId: user.id }),
      await proxy(service, { path: "/google/me" }),
    ];
    expect(overLimit.map((answer) => answer.status)).toEqual([429, 429, 429]);
    expect(overLimit.map((answer) => answer.json().error.code)).toEqual(["rate_limited", "rate_limited", "rate_limited"]);
    expect(idp().api.requests - requestsBefore, "only the call within the limit reached the provider").toBe(1);
    const rows = await getDb().serviceProxyUsage.findMany({ where: { serviceClientId: service.id } });
    expect(rows.reduce((sum, row) => sum + row.calls, 0)).toBe(1);
  });

  it("a steady-state call is one statement before the provider; the token's statement reads and stamps nothing it does not admit", async () => {
    // Issue 26 (lib/service-clients/verify-service-call.ts): the service token's lookup, the call's count and the
    // person's state in one statement, as the token exchange does for its client. Seen red:
    // - with the route's `serviceCall` removed, 3 statements, not 2 (the state read again);
    // - with the gate's permission conditions removed (`allowsProxySql`), the github call the token's scope does not
    //   allow stamped the github connection's lastUsedAt;
    // - with `live` removed from the count and the gate, the revoked token's call was counted and stamped the use.
    const { user } = await connected("github");
    const service = await newService(["proxy:google", "proxy:github"], ["google:/me", "github:/me"]);
    const lastUsed = async () => (await getDb().providerConnection.findFirstOrThrow({ where: { userId: user.id, provider: "github" } })).lastUsedAt;
    const forgetUse = () => getDb().providerConnection.updateMany({ where: { userId: user.id }, data: { lastUsedAt: null } });
    const counted = async (id: string) => (await getDb().rateLimit.findUnique({ where: { key: `svc:${id}` } }))?.points ?? 0;

    // The day's first call also writes its audit event: the steady state is the call after it.
    expect((await proxy(service, { path: "/github/me", userId: user.id })).status).toBe(200);
    const statements = vi.spyOn(pg.Client.prototype, "query");
    try {
      expect((await proxy(service, { path: "/github/me", userId: user.id })).status).toBe(200);
      // The token's statement (lookup, count, block, connection, token), then the usage count.
      expect(statements.mock.calls.length).toBe(2);
    } finally {
      statements.mockRestore();
    }

    // A token whose scope names only google, of a client that may call both: refused, and the github connection untouched.
    await forgetUse();
    const narrow = { ...service, token: (await issueServiceToken(service.id, ["proxy:google"])).token };
    const before = await counted(service.id);
    const refused = await proxy(narrow, { path: "/github/me", userId: user.id });
    expect([refused.status, refused.json().error.code]).toEqual([403, "insufficient_permission"]);
    expect(await lastUsed()).toBeNull();
    expect(await counted(service.id), "a refused call spends the budget").toBe(before + 1);

    // A revoked token: 401, not counted, nothing read or stamped.
    await revokeServiceToken(service.token, service.id);
    const revoked = await proxy(service, { path: "/github/me", userId: user.id });
    expect(revoked.status).toBe(401);
    expect(revoked.text).not.toContain(user.id);
    expect(await lastUsed()).toBeNull();
    expect(await counted(service.id)).toBe(before + 1);
  });

  it("the per-client rate limit is shared with the token exchange", async () => {
    const { user } = await connected("google");
    const created = await createServiceClient(
      { name: `proxy-rl-${Math.random()}`, permissions: ["proxy:google", "credentials:google:read"], proxyAllow: ["google:/me"], rateLimitPerMinute: 3 },
      { type: "admin", id: adminId },
      null,
    );
    if (!created.ok) throw new Error(created.message);
    const basic = `Basic ${Buffer.from(`${created.view.clientId}:${created.clientSecret}`).toString("base64")}`;
    const grant = await callRoute(tokenRoute, {
      method: "POST",
      path: "/api/oauth/token",
      headers: { authorization: basic, "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials&scope=proxy:google",
    });
    expect(grant.status, grant.text).toBe(200);
    const service = { id: created.view.id, clientId: created.view.clientId, name: created.view.name, token: grant.json().access_token as string };
    expect((await proxy(service, { path: "/google/me", userId: user.id })).status).toBe(200);
    expect((await proxy(service, { path: "/google/me", userId: user.id })).status).toBe(200);
    const limited = await proxy(service, { path: "/google/me", userId: user.id });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    const exchange = await callRoute(tokenRoute, {
      method: "POST",
      path: "/api/oauth/token",
      headers: { authorization: basic, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
        subject_token: user.id,
        subject_token_type: "urn:tessera:params:oauth:token-type:user-id",
        audience: "google",
      }).toString(),
    });
    expect(exchange.status).toBe(429);
  });

  it("the admin API takes proxy permissions and the allow-list on create and PATCH, and refuses unsafe prefixes", async () => {
    const cookie = await createSessionCookie(adminId);
    const created = await callRoute(adminServicesRoute.POST, {
      method: "POST",
      path: "/api/admin/services",
      headers: sameOrigin(cookie),
      body: { name: `proxy-admin-${Math.random()}`, permissions: ["proxy:*"], proxyAllow: ["google:/me", "github:/items", "google:/me"] },
    });
    expect(created.status, created.text).toBe(201);
    // The answers keep issue 10's exact JSON; the allow-list is on the client (and on /admin/services).
    expect(created.json()).toMatchObject({ permissions: ["proxy:*"] });
    const id = created.json().id as string;
    const stored = async () => (await getDb().serviceClient.findUniqueOrThrow({ where: { id } })).proxyAllow;
    // Stored in the explicit form: an entry without a method allows GET (and HEAD) only.
    expect(await stored()).toEqual(["GET google:/me", "GET github:/items"]);
    const patched = await callRoute(adminServiceRoute.PATCH, {
      method: "PATCH",
      path: `/api/admin/services/${id}`,
      headers: sameOrigin(cookie),
      params: { id },
      body: { proxyAllow: ["microsoft-entra-id:/me"] },
    });
    expect(patched.status, patched.text).toBe(200);
    expect(await stored()).toEqual(["GET microsoft-entra-id:/me"]);
    for (const entry of ["google:/me/../admin", "google:me", "myspace:/me", "google:/me/", "google://x", "google:/m%65", "google:/a/./b", "/me"]) {
      const refused = await callRoute(adminServiceRoute.PATCH, {
        method: "PATCH",
        path: `/api/admin/services/${id}`,
        headers: sameOrigin(cookie),
        params: { id },
        body: { proxyAllow: [entry] },
      });
      expect(refused.status, entry).toBe(400);
    }
    const events = await getDb().auditEvent.findMany({ where: { action: "service.updated", detail: { path: ["serviceClientId"], equals: id } } });
    expect(events).toHaveLength(1);
  });

  it("nothing a service received ever held a provider token", () => {
    expect(received.length).toBeGreaterThan(20);
    const planted = secrets.filter((value) => value.length > 10);
    expect(planted.length).toBeGreaterThan(5);
    for (const value of planted) for (const answer of received) expect(answer.includes(value), "a provider token came back to the service").toBe(false);
  });
});
