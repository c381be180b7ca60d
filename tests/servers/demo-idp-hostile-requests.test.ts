import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawBytes, rawRequest } from "@/tests/helpers/raw-http";
import { DEMO_CLIENT_IDS, startDemoIdp, type DemoIdp } from "@/lib/idp/start-demo-idp";

// Every route the demo IdP serves (oidc-provider's and ours).
const ROUTES = [
  "/.well-known/openid-configuration",
  "/auth",
  "/token",
  "/token/revocation",
  "/token/introspection",
  "/me",
  "/jwks",
  "/interaction/abc",
  "/interaction/abc/login",
  "/session/end",
  "/github/user",
  "/avatars/alice.svg",
];
const BAD_ESCAPES = ["%E0%A4%A", "%", "%zz", "%C0%AF", "%ED%A0%80"];

describe("the demo IdP under hostile requests", () => {
  let idp: DemoIdp;
  const warnings: string[] = [];
  beforeAll(async () => {
    idp = await startDemoIdp({ appUrls: ["http://localhost:3999"], clientSecret: "s", logger: { info: () => {}, warn: (m) => warnings.push(m) } });
  });
  afterAll(() => idp.close());

  async function stillServes() {
    const discovery = await rawRequest(idp.issuer, { path: "/.well-known/openid-configuration" });
    expect(discovery.status).toBe(200);
  }

  it("answers malformed percent escapes in every route's path and query with a 4xx, and keeps serving", async () => {
    // Before: /avatars/%E0%A4%A.svg threw URIError inside the handler and stopped the process.
    const avatar = await rawRequest(idp.issuer, { path: "/avatars/%E0%A4%A.svg" });
    expect(avatar.status).toBe(400);
    for (const route of ROUTES) {
      for (const bad of BAD_ESCAPES) {
        for (const path of [`${route}${bad}`, `${route}/${bad}`, `${route}?x=${bad}&client_id=${bad}`, route.replace(/[a-z]+$/, (w) => `${bad}${w}`)]) {
          for (const method of ["GET", "POST"]) {
            const answer = await rawRequest(idp.issuer, {
              method,
              path,
              headers: method === "POST" ? { "content-type": "application/x-www-form-urlencoded" } : {},
              body: method === "POST" ? `a=${bad}` : undefined,
            });
            expect(answer.status, `${method} ${path}`).toBeGreaterThanOrEqual(200);
            expect(answer.status, `${method} ${path}`).toBeLessThan(500);
          }
        }
      }
      await stillServes();
    }
    // 480 requests one after another: tens of ms each when idle, several times that at a load average of 10;
    // a request that hangs still fails the test.
  }, 180_000);

  it("answers garbage bodies to /token with a 4xx and keeps serving", async () => {
    const basic = `Basic ${Buffer.from(`${DEMO_CLIENT_IDS.google}:s`).toString("base64")}`;
    const bodies: [string, string | Buffer][] = [
      ["application/x-www-form-urlencoded", "grant_type=refresh_token&refresh_token=%E0%A4%A"],
      ["application/x-www-form-urlencoded", "%%%&&&==="],
      ["application/json", "{not json"],
      ["application/json", JSON.stringify({ grant_type: ["a", "b"], refresh_token: { x: 1 } })],
      ["application/x-www-form-urlencoded", Buffer.from([0xff, 0xfe, 0x00, 0x01, 0xc3, 0x28])],
      ["text/plain", "x".repeat(200_000)],
      ["multipart/form-data; boundary=zz", "--zz\r\nbroken"],
    ];
    for (const [type, body] of bodies) {
      for (const authorization of [basic, "Basic %%%", "Basic " + "A".repeat(5000), "Bearer x"]) {
        const answer = await rawRequest(idp.issuer, { method: "POST", path: "/token", headers: { "content-type": type, authorization }, body });
        expect(answer.status, `${type} ${String(body).slice(0, 20)}`).toBeGreaterThanOrEqual(400);
        expect(answer.status, `${type} ${String(body).slice(0, 20)}`).toBeLessThan(500);
      }
    }
    await stillServes();
  });

  it("answers oversized and garbage headers with a 4xx (or closes that socket) and keeps serving", async () => {
    const huge = await rawRequest(idp.issuer, { path: "/jwks", headers: { "x-huge": "a".repeat(100_000) } }).catch(() => ({ status: 0 }));
    expect([0, 431]).toContain(huge.status);
    for (const bytes of [
      "GET /jwks HTTP/1.1\r\nHost: x\r\nBad Header Without Colon\r\n\r\n",
      "GET /jwks HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
      "GET /jwks HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
      "POST /token HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nboom\r\n",
      "\x00\x01\x02\xff garbage\r\n\r\n",
      "GET /%E0%A4%A HTTP/9.9\r\n\r\n",
      "GET /avatars/%E0%A4%A.svg HTTP/1.1\r\nHost: x\r\nCookie: \xff\xfe=%E0%A4%A\r\nAuthorization: Bearer \x7f\r\n\r\n",
    ]) {
      const status = await rawBytes(idp.issuer, Buffer.from(bytes, "latin1"));
      expect(status === "" || /^HTTP\/1\.1 4\d\d/.test(status), JSON.stringify(bytes) + " → " + status).toBe(true);
    }
    await stillServes();
  });
});
