import { request } from "node:http";
import { beforeAll, describe, expect, it } from "vitest";
import { MAX_JSON_BODY_BYTES } from "@/lib/api/read-json-body";
import { createApplication, createApplicationSchema } from "@/lib/oauth-apps/create-application";
import { createServiceClient } from "@/lib/service-clients/create-service-client";
import { issueServiceToken } from "@/lib/service-clients/issue-service-token";
import { createWebhookEndpoint } from "@/lib/webhooks/manage-webhook-endpoints";
import { connectedUser } from "../helpers/connected-user";
import { startDemoIdpForFile } from "../helpers/demo-idp";
import { createSessionCookie, createTokenAsUser, createUser } from "../helpers/fixtures";
import { canStartApp, startAppOnTestDatabase, startedAppSkipReason } from "../helpers/started-app-on-test-database";

/*
 * Every route that reads a request body, through a real `npm start` process: a 2 MiB body, chunked
 * (no Content-Length) or declared, is refused with 413 and the route's JSON error body — never a 500 —
 * and the process keeps serving. Before, a chunked 2 MiB POST /api/tokens with a session answered 500
 * ("Response body object should not be disturbed or locked").
 * Mutation checks (each seen red, then restored):
 * - middleware.ts: the old matcher (`/((?!api/proxy/).*)`, middleware on API requests with a body) → 500
 *   "Response body object should not be disturbed or locked" (Next races its copy of the body; middleware.ts says why API requests skip it).
 * - lib/http/read-capped-body.ts: `reader.cancel()` at the limit instead of `discardRest(reader)` → ECONNRESET:
 *   the socket is destroyed before the 413 is written, and a kept-alive connection is broken for the next request.
 */

const SIZE = 2 * 1024 * 1024;
const PROXY_LIMIT = 1024 * 1024;

type Route = { method: "POST" | "PATCH" | "PUT"; path: string; auth: "session" | "public" | "oauth" | "service"; form?: boolean };

describe.skipIf(!canStartApp)(
  `oversized request bodies answer 413 on every route that reads one${canStartApp ? "" : ` [skipped: ${startedAppSkipReason}]`}`,
  () => {
    const idp = startDemoIdpForFile();
    const started = startAppOnTestDatabase(idp, { PROXY_MAX_BODY_BYTES: String(PROXY_LIMIT) });
    let cookie = "";
    let serviceToken = "";
    let personId = "";
    let routes: Route[] = [];

    beforeAll(async () => {
      const admin = await createUser({ role: "ADMIN" });
      cookie = await createSessionCookie(admin.id);
      const pat = await createTokenAsUser(admin, { name: "rotate-me", scopes: ["profile:read"], expiresInDays: 7 });
      if (!pat.ok) throw new Error("token not created");
      const service = await createServiceClient(
        { name: `bodies-${Math.random()}`, permissions: ["proxy:github"], proxyAllow: ["POST,PUT,PATCH github:/echo"] },
        { type: "admin", id: admin.id },
        null,
      );
      if (!service.ok) throw new Error(service.message);
      serviceToken = (await issueServiceToken(service.view.id, ["proxy:github"])).token;
      personId = (await connectedUser(idp(), "github")).user.id;
      const application = await createApplication(
        admin.id,
        createApplicationSchema.parse({ name: "bodies", redirectUris: ["https://app.example/cb"], confidential: true }),
        null,
      );
      if (!application.ok) throw new Error("application not created");
      process.env.TESSERA_WEBHOOK_ALLOW_PRIVATE = "1";
      const webhook = await createWebhookEndpoint({ url: "http://127.0.0.1:9/hook", events: ["pat.revoked"] }, { type: "admin", id: admin.id }, null);
      delete process.env.TESSERA_WEBHOOK_ALLOW_PRIVATE;
      if (!webhook.ok) throw new Error(webhook.message);
      // Every app route with POST/PATCH/PUT that reads a body (revoke-all and redeliver read none; Auth.js's own routes are Auth.js's).
      routes = [
        { method: "POST", path: "/api/tokens", auth: "session" },
        { method: "POST", path: `/api/tokens/${pat.view.id}/rotate`, auth: "session" },
        { method: "POST", path: "/api/applications", auth: "session" },
        { method: "POST", path: `/api/applications/${application.view.id}/rotate-secret`, auth: "session" },
        { method: "POST", path: "/api/admin/services", auth: "session" },
        { method: "PATCH", path: `/api/admin/services/${service.view.id}`, auth: "session" },
        { method: "POST", path: `/api/admin/services/${service.view.id}/rotate-secret`, auth: "session" },
        { method: "POST", path: "/api/admin/webhooks", auth: "session" },
        { method: "PATCH", path: `/api/admin/webhooks/${webhook.id}`, auth: "session" },
        { method: "POST", path: "/api/credentials/report-leak", auth: "public" },
        { method: "POST", path: "/api/oauth/token", auth: "oauth", form: true },
        { method: "POST", path: "/api/oauth/revoke", auth: "oauth", form: true },
        { method: "POST", path: "/api/oauth/introspect", auth: "oauth", form: true },
        { method: "POST", path: "/api/proxy/github/echo", auth: "service" },
        { method: "PUT", path: "/api/proxy/github/echo", auth: "service" },
        { method: "PATCH", path: "/api/proxy/github/echo", auth: "service" },
      ];
    }, 60_000);

    it.each([true, false])(
      "every route answers 413 with its JSON error body (chunked: %s), and the process keeps serving",
      async (chunked) => {
        const { app } = started();
        expect(MAX_JSON_BODY_BYTES).toBeLessThan(SIZE);
        for (const route of routes) {
          const headers: Record<string, string> = { "content-type": route.form ? "application/x-www-form-urlencoded" : "application/json" };
          if (route.auth === "session") Object.assign(headers, { cookie, origin: app.url, "sec-fetch-site": "same-origin" });
          if (route.auth === "service") Object.assign(headers, { authorization: `Bearer ${serviceToken}`, "tessera-on-behalf-of": personId });
          const label = `${route.method} ${route.path} (chunked: ${chunked})`;
          const answer = await sendLargeBody(app.url, route.method, route.path, headers, SIZE, chunked).catch((error: Error) => {
            throw new Error(`${label}: ${error.message}\n${app.output().slice(-3000)}`);
          });
          expect(answer.status, `${label}: ${answer.body}\n${app.output().slice(-3000)}`).toBe(413);
          const body = JSON.parse(answer.body);
          if (route.auth === "oauth") expect(body, label).toMatchObject({ error: "invalid_request" });
          else expect(body, label).toEqual({ error: { code: "payload_too_large", message: expect.any(String) } });
          if (route.auth === "service") expect(answer.headers["tessera-proxy-error"], label).toBe("payload_too_large");
        }
        expect(app.child.exitCode).toBeNull();
        expect((await fetch(`${app.url}/api/health`)).status).toBe(200);
      },
      180_000,
    );
  },
);

/**
 * Sends `size` bytes of a JSON-ish body in 64 KiB writes, chunked or with Content-Length, and resolves
 * with the answer; a server that answers and closes before the whole body is sent is fine (that is the point).
 */
function sendLargeBody(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  size: number,
  chunked: boolean,
): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: chunked ? headers : { ...headers, "content-length": String(size) } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      res.on("error", reject);
    });
    req.on("error", reject);
    const chunk = Buffer.alloc(64 * 1024, "a");
    chunk[0] = 0x7b; // "{": looks like JSON until it is too large
    let sent = 0;
    const pump = () => {
      while (sent < size && !req.destroyed) {
        sent += chunk.byteLength;
        if (!req.write(sent === chunk.byteLength ? chunk : Buffer.alloc(64 * 1024, "a"))) return void req.once("drain", pump);
      }
      req.end();
    };
    pump();
  });
}
