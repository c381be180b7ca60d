import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import * as tokenRoutes from "@/app/api/tokens/route";
import * as meRoutes from "@/app/api/v1/me/route";
import { MAX_FAILURES, resetAuthFailureLimiter, retryAfterSeconds } from "@/lib/rate-limit/auth-failure-limiter";
import { getDb } from "@/lib/db/client";
import { generatePatSecret } from "@/lib/pat/format";
import { flushTokenUse, resetTokenUseThrottle } from "@/lib/pat/record-token-use";
import { createAppServer } from "@/lib/runtime/create-app-server";
import { callRoute, createSessionCookie, createUser, sameOrigin, TEST_ORIGIN } from "../helpers/fixtures";
import { rawRequest } from "../helpers/raw-http";
import { describeOnEachDatabase } from "../helpers/test-database";

// The real route handlers, reached through the app server `npm start` runs (lib/runtime/create-app-server.ts).
// Mutation checks: commenting out `setClientAddress(req, …)` in createAppServer fails the rotating,
// victim and audit tests; `if (!ip) return 0` back in recordAuthFailure fails the junk test.
const ROUTES: Record<string, (request: NextRequest, context: { params: Promise<never> }) => Promise<Response>> = {
  "GET /api/v1/me": meRoutes.GET,
  "POST /api/tokens": tokenRoutes.POST,
};

async function dispatch(req: IncomingMessage, res: ServerResponse) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
  const route = ROUTES[`${req.method} ${req.url}`];
  if (!route) return void res.writeHead(404).end();
  const request = new NextRequest(new URL(req.url!, TEST_ORIGIN), { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
  const response = await route(request, { params: Promise.resolve({}) as Promise<never> });
  res.writeHead(response.status, Object.fromEntries(response.headers)).end(await response.text());
}

const servers: Server[] = [];
async function startAppServer(trustedProxyHops: number): Promise<string> {
  const server = createAppServer({ handle: dispatch, trustedProxyHops });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

const VICTIM = "198.51.100.7";
const badToken = (xff: string) => ({ authorization: `Bearer ${generatePatSecret()}`, "x-forwarded-for": xff });

describeOnEachDatabase("a client address no client can forge", () => {
  let direct = "";
  let behindProxy = "";
  let user: { id: string; cookie: string };

  beforeAll(async () => {
    direct = await startAppServer(0);
    behindProxy = await startAppServer(1);
    const created = await createUser();
    user = { id: created.id, cookie: await createSessionCookie(created.id) };
  });
  beforeEach(async () => {
    resetAuthFailureLimiter();
    await getDb().rateLimit.deleteMany();
  });

  it("junk in X-Forwarded-For no longer turns the failure limiter off: unknown addresses share one bucket", async () => {
    // Before: an unparseable address made the IP null and recordAuthFailure returned 0 ("no limit").
    let last = 0;
    for (let i = 0; i <= MAX_FAILURES; i++) last = (await callRoute(meRoutes.GET, { path: "/api/v1/me", headers: badToken(`junk-${i}`) })).status;
    expect(last).toBe(429);
    // Through the app server behind a proxy, a junk hop is "unknown" too, and limited.
    resetAuthFailureLimiter();
    await getDb().rateLimit.deleteMany();
    for (let i = 0; i <= MAX_FAILURES; i++) last = (await rawRequest(behindProxy, { path: "/api/v1/me", headers: badToken(`not-an-ip-${i}`) })).status;
    expect(last).toBe(429);
  });

  it("rotating X-Forwarded-For values does not get around the limiter", async () => {
    const statuses: number[] = [];
    for (let i = 0; i <= MAX_FAILURES; i++) statuses.push((await rawRequest(direct, { path: "/api/v1/me", headers: badToken(`203.0.113.${i + 1}`) })).status);
    expect(statuses.slice(0, MAX_FAILURES)).toEqual(Array(MAX_FAILURES).fill(401));
    expect(statuses[MAX_FAILURES]).toBe(429);
    const keys = (await getDb().rateLimit.findMany()).map((row) => row.key);
    expect(keys).toEqual(["auth-fail:127.0.0.1"]);
  });

  it("21 bad tokens sent with a victim's address do not lock the victim out", async () => {
    // Straight to the app server: the attacker's own (socket) address is counted and blocked.
    for (let i = 0; i <= MAX_FAILURES; i++) await rawRequest(direct, { path: "/api/v1/me", headers: badToken(VICTIM) });
    expect(retryAfterSeconds("127.0.0.1")).toBeGreaterThan(0);
    expect(retryAfterSeconds(VICTIM)).toBe(0);
    // Behind one proxy: the attacker writes the victim's address, the proxy appends the attacker's.
    resetAuthFailureLimiter();
    await getDb().rateLimit.deleteMany();
    const { token } = await createPat();
    let attacker = 0;
    for (let i = 0; i <= MAX_FAILURES; i++)
      attacker = (await rawRequest(behindProxy, { path: "/api/v1/me", headers: badToken(`${VICTIM}, 203.0.113.66`) })).status;
    expect(attacker).toBe(429);
    const victim = await rawRequest(behindProxy, { path: "/api/v1/me", headers: { authorization: `Bearer ${token}`, "x-forwarded-for": VICTIM } });
    expect(victim.status).toBe(200);
  });

  it("audit events and a PAT's last-used address record the real address, not the forged one", async () => {
    resetTokenUseThrottle();
    const created = await rawRequest(direct, {
      method: "POST",
      path: "/api/tokens",
      headers: { ...sameOrigin(user.cookie), host: "localhost:3000", "content-type": "application/json", "x-forwarded-for": "6.6.6.6", "x-real-ip": "6.6.6.6" },
      body: JSON.stringify({ name: `forged-${Date.now()}`, scopes: ["profile:read"], expiresInDays: 1 }),
    });
    expect(created.status, created.body).toBe(201);
    const { id, token } = JSON.parse(created.body) as { id: string; token: string };
    const event = await getDb().auditEvent.findFirstOrThrow({ where: { action: "pat.created", patId: id } });
    expect(event.ip).toBe("127.0.0.1");

    const used = await rawRequest(direct, { path: "/api/v1/me", headers: { authorization: `Bearer ${token}`, "x-forwarded-for": "6.6.6.6" } });
    expect(used.status).toBe(200);
    await flushTokenUse();
    expect((await getDb().personalAccessToken.findUniqueOrThrow({ where: { id } })).lastUsedIp).toBe("127.0.0.1");
  });

  async function createPat() {
    const response = await callRoute(tokenRoutes.POST, {
      method: "POST",
      path: "/api/tokens",
      headers: sameOrigin(user.cookie),
      body: { name: `pat-${Date.now()}`, scopes: ["profile:read"], expiresInDays: 1 },
    });
    expect(response.status).toBe(201);
    return response.json() as { id: string; token: string };
  }
});
