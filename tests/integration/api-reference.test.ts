import { readdirSync } from "node:fs";
import { join, sep } from "node:path";
import { describe, expect, it } from "vitest";
import * as openApiRoute from "@/app/api/openapi.json/route";
import { getOpenApiDocument } from "@/lib/api-docs/openapi-document";
import { UNDOCUMENTED_ROUTES } from "@/lib/api-docs/paths";
import { HTTP_METHODS, isDocumentedRouteFile, openApiPath, routeFilePath } from "../contract/route-path";
import { createResponseValidator } from "../contract/validate-response";
import { callRoute } from "../helpers/fixtures";

/*
 * Contract (1): every route file under app/api and app/.well-known, and each HTTP method it exports,
 * is in the OpenAPI document, and the document has nothing that is not a route. Contract (2), that
 * every response the integration tests receive matches the document, is checked on every route call
 * by tests/contract/record-route-responses.ts (tests/setup/contract-responses.ts fails the test).
 *
 * Mutation checks (each made once, saw red, restored):
 * - lib/api-docs/paths/tokens.ts: the `DELETE /api/tokens/{id}` entry removed → here "DELETE /api/tokens/{id}
 *   (app/api/tokens/[id]/route.ts) is not in the API reference: add it to lib/api-docs/paths/<area>.ts", and
 *   pat-api's "DELETE /api/tokens/current revokes…" fails with "DELETE /api/tokens/{id} is not in the API reference".
 * - app/api/health/live/route.ts answering `{ ...asDocumented(livenessSchema, …), uptime: 1 }` → every
 *   health-probes test fails with "GET /api/health/live 200: the body does not match the documented schema:
 *   body must NOT have additional properties".
 */

const APP_DIR = join(process.cwd(), "app");

type RouteExport = { key: string; file: string; routePath: string; method: string };

async function routeExports(): Promise<RouteExport[]> {
  const files = (readdirSync(APP_DIR, { recursive: true }) as string[])
    .filter((file) => file.endsWith(`${sep}route.ts`))
    .filter(isDocumentedRouteFile)
    .sort();
  const found: RouteExport[] = [];
  for (const file of files) {
    const routePath = routeFilePath(APP_DIR, join(APP_DIR, file));
    const exports = (await import(join(APP_DIR, file))) as Record<string, unknown>;
    for (const method of HTTP_METHODS) {
      if (typeof exports[method] === "function") found.push({ key: `${method} ${routePath}`, file: `app/${file.split(sep).join("/")}`, routePath, method });
    }
  }
  return found;
}

describe("API reference: the document covers every route", () => {
  const document = getOpenApiDocument("http://localhost:3000");
  const documented = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    HTTP_METHODS.filter((method) => (item as Record<string, unknown>)[method.toLowerCase()]).map((method) => `${method} ${path}`),
  );

  it("finds the route files (a check on the discovery itself)", async () => {
    const keys = (await routeExports()).map((route) => route.key);
    expect(keys).toContain("GET /.well-known/oauth-authorization-server");
    expect(keys).toContain("DELETE /api/tokens/[id]");
    expect(keys).toContain("GET /api/auth/[...nextauth]");
  });

  it("documents every exported method of every route file, except the ones listed with a reason", async () => {
    const missing = (await routeExports())
      .filter((route) => !UNDOCUMENTED_ROUTES[route.routePath])
      .filter((route) => !documented.includes(`${route.method} ${openApiPath(route.routePath)}`))
      .map((route) => `${route.method} ${openApiPath(route.routePath)} (${route.file}) is not in the API reference: add it to lib/api-docs/paths/<area>.ts`);
    expect(missing).toEqual([]);
  });

  it("documents no operation that has no route, and every exclusion is a route that exists", async () => {
    const routes = await routeExports();
    const real = new Set(routes.map((route) => `${route.method} ${openApiPath(route.routePath)}`));
    expect(documented.filter((key) => !real.has(key)).map((key) => `${key} is documented but no route file exports it`)).toEqual([]);
    for (const [path, reason] of Object.entries(UNDOCUMENTED_ROUTES)) {
      expect(
        routes.some((route) => route.routePath === path),
        `${path} is listed as undocumented but does not exist`,
      ).toBe(true);
      expect(reason.length).toBeGreaterThan(20);
    }
  });

  it("gives every operation a summary, an access rule, a success response, and an example for every request body", () => {
    const gaps: string[] = [];
    for (const [path, item] of Object.entries(document.paths ?? {})) {
      for (const [method, operation] of Object.entries(item as Record<string, Record<string, unknown>>)) {
        const where = `${method.toUpperCase()} ${path}`;
        if (!operation.summary) gaps.push(`${where}: no summary`);
        if (!operation["x-tessera-access"]) gaps.push(`${where}: no access rule`);
        if (!Object.keys(operation.responses as object).some((status) => status.startsWith("2"))) gaps.push(`${where}: no 2xx response`);
        const content = (operation.requestBody as { content?: Record<string, { example?: unknown }> } | undefined)?.content ?? {};
        for (const [type, media] of Object.entries(content)) if (media.example === undefined) gaps.push(`${where}: ${type} request body has no example`);
      }
    }
    expect(gaps).toEqual([]);
  });
});

describe("GET /api/openapi.json", () => {
  it("serves the OpenAPI 3.1 document with this server's URL, to anyone", async () => {
    const response = await callRoute(openApiRoute.GET, { path: "/api/openapi.json", headers: { host: "127.0.0.1:4123" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    const served = response.json();
    expect(served.openapi).toBe("3.1.0");
    expect(served.servers).toEqual([{ url: "http://127.0.0.1:4123" }]);
    expect(Object.keys(served.components.securitySchemes).sort()).toEqual(
      ["clientSecretBasic", "metricsToken", "personalAccessToken", "personalAccessTokenHeader", "serviceAccessToken", "sessionCookie"].sort(),
    );
    expect(served.paths["/api/v1/me"].get.security).toEqual([
      { personalAccessToken: ["profile:read"] },
      { personalAccessTokenHeader: ["profile:read"] },
      { sessionCookie: [] },
    ]);
  });

  it("never puts a hostile Host into the server URL (it ends up in curl commands)", async () => {
    const response = await callRoute(openApiRoute.GET, { path: "/api/openapi.json", headers: { host: 'evil.example"; rm -rf ~; echo "' } });
    expect(response.json().servers).toEqual([{ url: "http://localhost:3000" }]);
  });
});

describe("the response validator the recorder uses", () => {
  const problemWith = createResponseValidator(getOpenApiDocument("http://localhost:3000"));
  const token = {
    id: "pat_abc",
    name: "ci",
    description: "",
    scopes: ["profile:read"],
    createdAt: "2026-11-24T12:00:00.000Z",
    expiresAt: "2026-12-24T12:00:00.000Z",
    lastUsedAt: null,
    lastUsedIp: null,
    revokedAt: null,
    revokedReason: null,
    rotatedAt: null,
    status: "active",
    tokenHint: "tsr_pat_…abcd",
    recentClients: [],
  };
  const observe = (status: number, body: unknown, method = "GET", path = "/api/v1/tokens") => ({
    method,
    path,
    status,
    contentType: "application/json",
    text: JSON.stringify(body),
  });

  it("accepts a documented response", () => {
    expect(problemWith(observe(200, { tokens: [token], nextCursor: null }))).toBeNull();
  });

  it("names route, method and status for an undocumented status, an extra field, a wrong type and an unknown route", () => {
    expect(problemWith(observe(418, { error: { code: "teapot", message: "…" } }))).toMatch(
      /^GET \/api\/v1\/tokens answered 418, a status its API reference entry does not list/,
    );
    expect(problemWith(observe(200, { tokens: [{ ...token, tokenHash: "x" }], nextCursor: null }))).toMatch(
      /^GET \/api\/v1\/tokens 200: the body does not match the documented schema: .*additional properties/,
    );
    expect(problemWith(observe(200, { tokens: [{ ...token, createdAt: "yesterday" }], nextCursor: null }))).toMatch(/must match format "date-time"/);
    expect(problemWith(observe(200, {}, "POST", "/api/nowhere"))).toMatch(/^POST \/api\/nowhere is not in the API reference/);
    expect(problemWith({ method: "DELETE", path: "/api/tokens/{id}", status: 204, contentType: null, text: "" })).toBeNull();
    expect(problemWith({ method: "GET", path: "/api/metrics", status: 200, contentType: "text/html", text: "<p>" })).toMatch(
      /answered content type text\/html, documented: text\/plain/,
    );
  });
});
