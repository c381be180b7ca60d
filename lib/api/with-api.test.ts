import { NextRequest } from "next/server";
import { z } from "zod";
import { afterEach, describe, expect, it, vi } from "vitest";
import { logger } from "@/lib/log/logger";
import { OAuthError } from "@/lib/oauth/oauth-error";
import { ApiError } from "../http/api-error";
import { API_ERROR_STATUS, type ApiErrorCode } from "../http/error-codes";
import { toErrorResponse } from "./to-error-response";
import type { AuditActor } from "@/lib/audit/record-audit-event";
import { API_ROUTE, json, withApi, type AdminActor } from "./with-api";

const ok = async () => json({ ok: true });

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe("withApi options", () => {
  it("refuses a PAT route without a scope, in the types and at run time", () => {
    // @ts-expect-error -- a route that accepts PATs must name the scope a PAT needs (PatRouteOptions.scope)
    expect(() => withApi({ auth: { pat: true } }, ok)).toThrow(/must name its scope/);
    // @ts-expect-error -- the same with sessions allowed too
    expect(() => withApi({ auth: { session: true, pat: true } }, ok)).toThrow(/must name its scope/);
    expect(() => withApi({ auth: { session: true, pat: true }, scope: "profile:read" }, ok)).not.toThrow();
  });

  it("marks every handler it returns, with the options it was given (not enumerable)", () => {
    const route = withApi({ auth: { pat: true }, scope: "tokens:read", admin: true }, ok);
    expect((route as unknown as Record<symbol, unknown>)[API_ROUTE]).toEqual({ auth: { pat: true }, scope: "tokens:read", admin: true });
    expect(Object.keys(route)).toEqual([]);
  });

  it("oauth audience: no Tessera authentication; every failure answers RFC 6749 JSON, unexpected ones a logged server_error", async () => {
    const route = withApi({ auth: { oauth: true } }, async (request, { principal }) => {
      const fail = request.nextUrl.searchParams.get("fail");
      if (fail === "oauth") throw new OAuthError(401, "invalid_client", "Client authentication failed.", { "www-authenticate": "Basic" });
      if (fail === "zod") z.string().parse(1);
      if (fail === "boom") throw new Error("database on fire");
      return json({ via: principal.via });
    });
    const call = async (query: string) => {
      const response = await route(
        new NextRequest(`http://localhost:3000/api/oauth/x${query}`, { method: "POST", headers: { cookie: "authjs.session-token=abc" } }),
        { params: Promise.resolve({}) },
      );
      return { status: response.status, json: await response.json(), headers: response.headers };
    };
    expect(await call("")).toMatchObject({ status: 200, json: { via: "oauth" } });
    const client = await call("?fail=oauth");
    expect(client).toMatchObject({ status: 401, json: { error: "invalid_client", error_description: "Client authentication failed." } });
    expect(client.headers.get("www-authenticate")).toBe("Basic");
    expect(await call("?fail=zod")).toMatchObject({ status: 400, json: { error: "invalid_request" } });
    const error = vi.spyOn(logger, "error").mockImplementation(() => undefined);
    expect(await call("?fail=boom")).toEqual(
      expect.objectContaining({ status: 500, json: { error: "server_error", error_description: "Something went wrong on our side." } }),
    );
    expect(error).toHaveBeenCalledTimes(1);
  });
});

describe("the one status table", () => {
  const body = async (response: Response) => ({ status: response.status, retryAfter: response.headers.get("retry-after"), json: await response.json() });

  it("gives every code its status from the table, and no code outside it", async () => {
    for (const [code, status] of Object.entries(API_ERROR_STATUS)) {
      const response = toErrorResponse(new ApiError(code as ApiErrorCode, "m"), "/x");
      expect([code, response.status]).toEqual([code, status]);
    }
    expect(new ApiError("upstream_timeout", "Slow provider.").status).toBe(504);
    // @ts-expect-error -- a code with no row in lib/http/error-codes.ts does not compile
    expect(() => new ApiError("no_such_code", "m")).not.toThrow();
  });

  it("keeps ApiError's headers, turns zod failures into 400 and anything else into a logged 500", async () => {
    expect(await body(toErrorResponse(new ApiError("rate_limited", "Slow down.", { "retry-after": "7" }), "/x"))).toEqual({
      status: 429,
      retryAfter: "7",
      json: { error: { code: "rate_limited", message: "Slow down." } },
    });
    const zod = z.object({ name: z.string() }).safeParse({ name: 1 });
    expect((await body(toErrorResponse(zod.error, "/x"))).json.error.code).toBe("invalid_request");
    const log = vi.spyOn(logger, "error").mockImplementation(() => undefined);
    const unknown = await body(toErrorResponse(Object.assign(new Error("db down: secret-ish detail"), { code: "P1001" }), "/api/x"));
    expect(unknown).toEqual({ status: 500, retryAfter: null, json: { error: { code: "internal_error", message: "Something went wrong on our side." } } });
    // A plain Error whose `code` happens to name a row is still unexpected: only ApiError chooses a status.
    const coded = await body(toErrorResponse(Object.assign(new Error("x"), { code: "not_found" }), "/api/x"));
    expect(coded.status).toBe(500);
    expect(log).toHaveBeenCalledTimes(2);
  });
});

describe("withApi input schemas", () => {
  const call = async (
    route: (request: NextRequest, context: { params: Promise<never> }) => Promise<Response>,
    params: Record<string, unknown>,
    init: { query?: string; body?: string; contentType?: string } = {},
  ) => {
    const headers: Record<string, string> = init.contentType ? { "content-type": init.contentType } : {};
    const request = new NextRequest(`http://localhost:3000/api/x${init.query ?? ""}`, { method: "POST", headers, body: init.body });
    const response = await route(request, { params: Promise.resolve(params) as Promise<never> });
    return { status: response.status, json: await response.json() };
  };

  it("parses params, query and body and hands them over typed", async () => {
    const route = withApi(
      {
        auth: { public: true },
        params: z.object({ id: z.string().regex(/^x_\d+$/) }),
        query: z.object({ limit: z.coerce.number().int().max(10) }),
        body: z.object({ name: z.string() }),
      },
      async (_request, { params, query, body }) => {
        const typed: { id: string; limit: number; name: string } = { id: params.id, limit: query.limit, name: body.name };
        return json(typed);
      },
    );
    expect(await call(route, { id: "x_1" }, { query: "?limit=3", body: '{"name":"n"}', contentType: "application/json" })).toEqual({
      status: 200,
      json: { id: "x_1", limit: 3, name: "n" },
    });
  });

  it("types the audit actor: the admin on admin routes, the person or their app elsewhere, none for other doors", () => {
    withApi({ auth: { session: true, pat: true }, scope: "admin", admin: true }, async (_request, { actor }) => json(actor satisfies AdminActor));
    withApi({ auth: { session: true, pat: true }, scope: "tokens:write" }, async (_request, { actor }) => json(actor satisfies AuditActor));
    withApi({ auth: { public: true } }, async (_request, { actor }) => json({ none: actor satisfies undefined }));
    // @ts-expect-error -- a person's route may act through an app: its actor is not always the admin
    withApi({ auth: { session: true, pat: true }, scope: "tokens:write" }, async (_request, { actor }) => json(actor satisfies AdminActor));
  });

  it("answers 404 not_found for params the schema refuses, before the handler runs", async () => {
    const handler = vi.fn(async () => json({ ok: true }));
    const route = withApi({ auth: { public: true }, params: z.object({ id: z.string().regex(/^x_\d+$/) }) }, handler);
    expect(await call(route, { id: "x_\u0000" })).toEqual({ status: 404, json: { error: { code: "not_found", message: "Not found." } } });
    expect(handler).not.toHaveBeenCalled();
  });

  it("answers 400 invalid_request for a query the schema refuses", async () => {
    const route = withApi({ auth: { public: true }, query: z.object({ limit: z.coerce.number().int().max(10) }) }, ok);
    const answer = await call(route, {}, { query: "?limit=11" });
    expect(answer.status).toBe(400);
    expect(answer.json.error.code).toBe("invalid_request");
    expect(answer.json.error.message).toMatch(/^limit: /);
  });

  it("reads the body as readJsonBody does; optionalBody takes an empty body as {}", async () => {
    const required = withApi({ auth: { public: true }, body: z.object({ n: z.number().optional() }) }, async (_request, { body }) => json(body));
    expect((await call(required, {}, { body: "{not json", contentType: "application/json" })).json.error.code).toBe("invalid_json");
    expect((await call(required, {}, {})).status).toBe(415);
    const optional = withApi({ auth: { public: true }, optionalBody: z.object({ n: z.number().optional() }) }, async (_request, { body }) => json(body));
    expect(await call(optional, {})).toEqual({ status: 200, json: {} });
    expect(await call(optional, {}, { body: '{"n":2}', contentType: "application/json" })).toEqual({ status: 200, json: { n: 2 } });
  });
});
