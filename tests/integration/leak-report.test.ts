import pg from "pg";
import { afterEach, beforeAll, expect, it, vi } from "vitest";
import * as reportLeakRoutes from "@/app/api/credentials/report-leak/route";
import * as tokenRoutes from "@/app/api/tokens/route";
import * as meRoutes from "@/app/api/v1/me/route";
import { LEAK_REPORTS_PER_WINDOW, leakReportKey } from "@/lib/credentials/consume-leak-report-limit";
import { getDb } from "@/lib/db/client";
import { generatePatSecret } from "@/lib/pat/format";
import { createServiceClient } from "@/lib/service-clients/create-service-client";
import { issueServiceToken } from "@/lib/service-clients/issue-service-token";
import { generateServiceToken } from "@/lib/service-clients/service-secrets";
import { verifyServiceToken } from "@/lib/service-clients/verify-service-token";
import { callRoute, createSessionCookie, createUser, sameOrigin } from "../helpers/fixtures";
import { rowCounts } from "../helpers/row-counts";
import { describeOnEachDatabase } from "../helpers/test-database";

let ipCounter = 0;
/** Each test reports from its own address, so the per-address limit only bites where it is tested. */
const freshIp = () => `198.51.100.${++ipCounter}`;

const report = (tokens: unknown, ip: string, headers: Record<string, string> = {}) =>
  callRoute(reportLeakRoutes.POST, {
    method: "POST",
    path: "/api/credentials/report-leak",
    headers: { "x-forwarded-for": ip, ...headers },
    body: tokens === undefined ? undefined : typeof tokens === "string" ? tokens : { tokens },
  });

afterEach(() => {
  vi.restoreAllMocks();
});

describeOnEachDatabase("leaked-token reports", () => {
  let owner: { id: string; cookie: string };
  let admin: { id: string };

  beforeAll(async () => {
    const user = await createUser({ email: "leak-owner@example.com" });
    owner = { id: user.id, cookie: await createSessionCookie(user.id) };
    admin = await createUser({ email: "leak-admin@example.com", role: "ADMIN" });
  });

  async function createPat(name: string, selfDescribing = false): Promise<{ id: string; token: string }> {
    const response = await callRoute(tokenRoutes.POST, {
      method: "POST",
      path: "/api/tokens",
      headers: sameOrigin(owner.cookie),
      body: { name, scopes: ["profile:read"], expiresInDays: 7, selfDescribing },
    });
    expect(response.status, response.text).toBe(201);
    return response.json();
  }
  const me = (token: string) =>
    callRoute(meRoutes.GET, { path: "/api/v1/me", headers: { authorization: `Bearer ${token}`, "x-forwarded-for": "192.0.2.200" } });

  async function serviceToken(): Promise<{ token: string; clientId: string }> {
    const created = await createServiceClient({ name: `leak-svc-${Math.random()}`, permissions: ["tokens:introspect"] }, { type: "admin", id: admin.id }, null);
    if (!created.ok) throw new Error(created.message);
    return { token: (await issueServiceToken(created.view.id, ["tokens:introspect"])).token, clientId: created.view.id };
  }

  it("revokes a live PAT (plain or self-describing) and tells its owner, with the reporter's address", async () => {
    const plain = await createPat("pasted-in-a-gist");
    const described = await createPat("described", true);
    const ip = freshIp();
    const response = await report([`  ${plain.token}\n`, described.token, "not a token"], ip);
    expect(response.status).toBe(202);
    expect(response.json()).toEqual({ received: 3 });

    for (const pat of [plain, described]) {
      expect((await me(pat.token)).status).toBe(401);
      const leaked = await getDb().auditEvent.findFirstOrThrow({ where: { action: "pat.leaked", patId: pat.id } });
      expect(leaked).toMatchObject({ subjectUserId: owner.id, ip, actorType: "system" });
      const revoked = await getDb().auditEvent.findFirstOrThrow({ where: { action: "pat.revoked", patId: pat.id } });
      expect(revoked.detail).toEqual({ reason: "leaked" });
      expect(JSON.stringify([leaked, revoked])).not.toContain(pat.token.slice(-12));
    }
    // The owner's list says why.
    const list = await callRoute(tokenRoutes.GET, { path: "/api/tokens", headers: { cookie: owner.cookie } });
    expect(list.json().tokens.find((t: { id: string }) => t.id === plain.id)).toMatchObject({ status: "revoked", revokedReason: "leaked" });
  });

  it("revokes a live service access token and names the service's owner", async () => {
    const { token, clientId } = await serviceToken();
    expect(await verifyServiceToken(token)).not.toBeNull();
    const ip = freshIp();
    expect((await report([token], ip)).status).toBe(202);
    expect(await verifyServiceToken(token)).toBeNull();
    const event = await getDb().auditEvent.findFirstOrThrow({ where: { action: "service.token_leaked", ip } });
    expect(event).toMatchObject({ subjectUserId: admin.id, detail: expect.objectContaining({ serviceClientId: clientId }) });
  });

  it("dead, unknown and garbage strings change nothing; the answer is the same as for a live token", async () => {
    const live = await createPat("live-one");
    const dead = await createPat("dead-one");
    await report([dead.token], freshIp());
    const before = await rowCounts();
    const { token: sat } = await serviceToken();
    const satBefore = await getDb().serviceAccessToken.count({ where: { revokedAt: null } });
    const beforeAll = await rowCounts();

    const garbage = [
      dead.token,
      generatePatSecret(),
      generateServiceToken(),
      "tsr_pat_short",
      "",
      " ",
      "x".repeat(512),
      "é🙂\u0000",
      sat.slice(0, -1) + (sat.endsWith("a") ? "b" : "a"),
    ];
    const deadAnswer = await report(garbage, freshIp());
    expect(await rowCounts()).toEqual(beforeAll);
    expect(await getDb().serviceAccessToken.count({ where: { revokedAt: null } })).toBe(satBefore);
    expect((await me(live.token)).status).toBe(200);
    expect(before.PersonalAccessToken).toBe(beforeAll.PersonalAccessToken);

    const liveAnswer = await report([live.token, ...garbage.slice(1)], freshIp());
    expect((await me(live.token)).status).toBe(401);
    const strip = (headers: Headers) => [...headers.entries()].filter(([name]) => name !== "date");
    expect({ status: liveAnswer.status, text: liveAnswer.text, headers: strip(liveAnswer.headers) }).toEqual({
      status: deadAnswer.status,
      text: deadAnswer.text,
      headers: strip(deadAnswer.headers),
    });
    expect(liveAnswer.json()).toEqual({ received: garbage.length });
  });

  it("does the same database work whatever the strings look like (no short cut on format)", async () => {
    const query = vi.spyOn(pg.Client.prototype, "query");
    await report(["junk", "", "tsr_pat_x"], freshIp());
    const forGarbage = query.mock.calls.length;
    query.mockClear();
    await report([generatePatSecret(), generateServiceToken(), "junk"], freshIp());
    expect(query.mock.calls.length).toBe(forGarbage);
    expect(forGarbage).toBeGreaterThan(0);
  });

  it("ignores credentials: a session or a PAT sent along changes nothing", async () => {
    const pat = await createPat("bystander");
    const response = await report(["nothing"], freshIp(), { authorization: `Bearer ${pat.token.slice(0, -1)}${pat.token.endsWith("x") ? "y" : "x"}` });
    expect(response.status).toBe(202);
    const withCookie = await report(["nothing"], freshIp(), { cookie: owner.cookie });
    expect(withCookie.status).toBe(202);
  });

  it("rejects bad shapes with 400 and a JSON error, and writes nothing", async () => {
    const before = await rowCounts();
    const pat = await createPat("survivor");
    const afterCreate = await rowCounts();
    const cases: [unknown, string][] = [
      [Array.from({ length: 101 }, () => pat.token), "invalid_request"],
      [[], "invalid_request"],
      [["x".repeat(513)], "invalid_request"],
      [[1, 2], "invalid_request"],
      ["{nope", "invalid_json"],
      [JSON.stringify({ tokens: ["a"], extra: 1 }), "invalid_request"],
      [JSON.stringify(["a"]), "invalid_request"],
      ["", "invalid_json"],
    ];
    for (const [tokens, code] of cases) {
      const response = await report(tokens, freshIp());
      expect(response.status, JSON.stringify(tokens)?.slice(0, 40)).toBe(400);
      expect(response.json()).toEqual({ error: { code, message: expect.any(String) } });
    }
    expect(await rowCounts()).toEqual(afterCreate);
    expect(afterCreate.PersonalAccessToken).toBe(before.PersonalAccessToken + 1);
    expect((await me(pat.token)).status).toBe(200);
    // Exactly 100 is fine.
    expect(
      (
        await report(
          Array.from({ length: 100 }, (_, i) => `t${i}`),
          freshIp(),
        )
      ).status,
    ).toBe(202);
  });

  it(`rate-limits each address to ${LEAK_REPORTS_PER_WINDOW} reports per window, shared through the database`, async () => {
    const ip = freshIp();
    for (let i = 0; i < LEAK_REPORTS_PER_WINDOW; i++) expect((await report(["x"], ip)).status).toBe(202);
    const limited = await report(["x"], ip);
    expect(limited.status).toBe(429);
    expect(limited.json().error.code).toBe("rate_limited");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    // The count lives in PostgreSQL, where every instance reads it.
    const row = await getDb().rateLimit.findUniqueOrThrow({ where: { key: leakReportKey(ip) } });
    expect(row.points).toBe(LEAK_REPORTS_PER_WINDOW + 1);
    // A limited reporter revokes nothing, even a live token.
    const pat = await createPat("after-limit");
    expect((await report([pat.token], ip)).status).toBe(429);
    expect((await me(pat.token)).status).toBe(200);
    expect((await report(["x"], freshIp())).status).toBe(202);
  });
});
