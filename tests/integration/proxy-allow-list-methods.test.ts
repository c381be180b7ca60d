import { NextRequest } from "next/server";
import { beforeAll, expect, it } from "vitest";
import * as adminServicesRoute from "@/app/api/admin/services/route";
import * as adminServiceRoute from "@/app/api/admin/services/[id]/route";
import * as proxyRoute from "@/app/api/proxy/[provider]/[...path]/route";
import { getDb } from "@/lib/db/client";
import { issueServiceToken } from "@/lib/service-clients/issue-service-token";
import { connectedUser } from "../helpers/connected-user";
import { startDemoIdpForFile } from "../helpers/demo-idp";
import { TEST_ORIGIN, callRoute, createSessionCookie, createUser, sameOrigin } from "../helpers/fixtures";
import { describeOnEachDatabase } from "../helpers/test-database";

/*
 * Issue 20 §3: an allow-list entry says which methods it allows. A method-less entry (as README's "read … and
 * nothing else" example wrote them, and as rows stored before the proxy_allow_methods migration still may be)
 * lets GET and HEAD through and refuses PATCH, PUT, DELETE and POST before any provider call; `POST google:/…`
 * allows POST. Through the real routes (withApi included) against the demo IdP's demo API.
 * Mutation checks (each made once, saw red, restored):
 * - lib/proxy/proxy-provider-request.ts: `input.method` no longer passed (isProxyPathAllowed judging every call as
 *   "GET") → "refused before any provider call" and "POST google:/echo allows POST" fail.
 * - lib/service-clients/proxy-allow-list.ts: `methodAllowed` replaced by `true` (the old path-only check) → "refused …" fails.
 * - lib/service-clients/proxy-allow-list.ts: proxyAllowEntrySchema returning `raw` instead of `canonical(…)` → the admin test
 *   sees `google:/me` stored.
 */

describeOnEachDatabase("proxy allow-list entries name their methods", () => {
  const idp = startDemoIdpForFile();
  let adminId: string;
  beforeAll(async () => {
    adminId = (await createUser({ role: "ADMIN" })).id;
  });

  /** A service client whose STORED allow-list is exactly `proxyAllow` (written to the row, as an old row would be). */
  async function serviceWithStoredList(proxyAllow: string[]) {
    const cookie = await createSessionCookie(adminId);
    const created = await callRoute(adminServicesRoute.POST, {
      method: "POST",
      path: "/api/admin/services",
      headers: sameOrigin(cookie),
      body: { name: `methods-${Math.random()}`, permissions: ["proxy:google"] },
    });
    expect(created.status, created.text).toBe(201);
    const id = created.json().id as string;
    await getDb().serviceClient.update({ where: { id }, data: { proxyAllow } });
    return { id, token: (await issueServiceToken(id, ["proxy:google"])).token };
  }

  async function proxy(token: string, method: string, path: string, userId: string, body?: string) {
    const headers = new Headers({ authorization: `Bearer ${token}`, "tessera-on-behalf-of": userId, "x-forwarded-for": "203.0.113.20" });
    if (body !== undefined) headers.set("content-type", "application/json");
    const request = new NextRequest(new URL(`/api/proxy${path}`, TEST_ORIGIN), { method, headers, ...(body === undefined ? {} : { body }) });
    const response = await proxyRoute[method as "GET"](request, { params: Promise.resolve({ provider: "x", path: ["x"] }) });
    return { status: response.status, headers: response.headers, text: await response.text() };
  }

  it("a method-less entry lets GET and HEAD through and refuses PATCH, PUT, DELETE and POST before any provider call", async () => {
    const { user, tokens } = await connectedUser(idp(), "google");
    const service = await serviceWithStoredList(["google:/me", "google:/items", "google:/echo"]);

    const calls = idp().api.requests;
    const got = await proxy(service.token, "GET", "/google/me", user.id);
    expect(got.status, got.text).toBe(200);
    expect(JSON.parse(got.text).email).toBe(user.email);
    const head = await proxy(service.token, "HEAD", "/google/me", user.id);
    expect(head.headers.get("tessera-proxy-error"), "HEAD is allowed wherever GET is").toBeNull();
    expect(idp().api.last!.method).toBe("HEAD");
    expect(idp().api.requests - calls, "both reached the provider").toBe(2);

    const before = idp().api.requests;
    for (const [method, path, body] of [
      ["PATCH", "/me", '{"name":"Mallory"}'],
      ["PUT", "/me", '{"name":"Mallory"}'],
      ["DELETE", "/items/7", undefined],
      ["POST", "/echo", '{"a":1}'],
    ] as const) {
      const refused = await proxy(service.token, method, `/google${path}`, user.id, body);
      expect(refused.status, `${method} ${path}: ${refused.text}`).toBe(403);
      expect(refused.headers.get("tessera-proxy-error")).toBe("path_not_allowed");
      expect(JSON.parse(refused.text).error.message).toBe(`This client's allow-list does not include ${method} google:${path}.`);
      expect(refused.text).not.toContain(tokens.access_token);
    }
    expect(idp().api.requests, "no refused call reached the provider").toBe(before);
  });

  it("`POST google:/echo` allows POST there, and only POST: GET elsewhere still needs its own entry", async () => {
    const { user } = await connectedUser(idp(), "google");
    const service = await serviceWithStoredList(["POST google:/echo", "GET google:/me"]);
    const body = JSON.stringify({ note: "posted through the proxy" });
    const echoed = await proxy(service.token, "POST", "/google/echo", user.id, body);
    expect(echoed.status, echoed.text).toBe(200);
    expect(echoed.text).toBe(body);
    expect(idp().api.last!.method).toBe("POST");

    const before = idp().api.requests;
    expect((await proxy(service.token, "GET", "/google/echo", user.id)).status).toBe(403);
    expect((await proxy(service.token, "PUT", "/google/echo", user.id, body)).status).toBe(403);
    expect((await proxy(service.token, "POST", "/google/me", user.id, body)).status).toBe(403);
    expect(idp().api.requests).toBe(before);
  });

  it("the admin API stores entries in the explicit form, explains a bad method, and never echoes the list", async () => {
    const cookie = await createSessionCookie(adminId);
    const created = await callRoute(adminServicesRoute.POST, {
      method: "POST",
      path: "/api/admin/services",
      headers: sameOrigin(cookie),
      body: {
        name: `methods-admin-${Math.random()}`,
        permissions: ["proxy:google"],
        proxyAllow: ["google:/me", "get google:/me", "post,GET google:/echo", "* google:/items"],
      },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.text).not.toContain("proxyAllow");
    const id = created.json().id as string;
    const stored = async () => (await getDb().serviceClient.findUniqueOrThrow({ where: { id } })).proxyAllow;
    expect(await stored()).toEqual(["GET google:/me", "GET,POST google:/echo", "* google:/items"]);

    const refused = await callRoute(adminServiceRoute.PATCH, {
      method: "PATCH",
      path: `/api/admin/services/${id}`,
      headers: sameOrigin(cookie),
      params: { id },
      body: { proxyAllow: ["GET google:/me", "PSOT google:/echo"] },
    });
    expect(refused.status).toBe(400);
    expect(refused.json().error.code).toBe("invalid_request");
    expect(refused.json().error.message).toMatch(
      /^proxyAllow\.1: Allow-list entry "PSOT google:\/echo": unknown method "PSOT" \(methods are GET, HEAD, POST, PUT, PATCH, DELETE/,
    );
    expect(await stored(), "a refused PATCH changes nothing").toEqual(["GET google:/me", "GET,POST google:/echo", "* google:/items"]);

    const patched = await callRoute(adminServiceRoute.PATCH, {
      method: "PATCH",
      path: `/api/admin/services/${id}`,
      headers: sameOrigin(cookie),
      params: { id },
      body: { proxyAllow: ["DELETE google:/items"] },
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.text).not.toContain("proxyAllow");
    expect(await stored()).toEqual(["DELETE google:/items"]);
  });
});
