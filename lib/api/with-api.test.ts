import { NextRequest } from "next/server";
import { z } from "zod";
import { afterEach, describe, expect, it, vi } from "vitest";
import { logger } from "@/lib/log/logger";
import { NotConnectedError, ReconnectRequiredError, RefreshUnavailableError } from "@/lib/provider-tokens/errors";
import { OAuthError } from "@/lib/oauth/oauth-error";
import { ApiError } from "../http/api-error";
import { toErrorResponse } from "./to-error-response";
import { API_ROUTE, json, withApi } from "./with-api";

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
      const response = await route(new NextRequest(`http://localhost:3000/api/oauth/x${query}`, { method: "POST", headers: { cookie: "authjs.session-token=abc" } }), { params: Promise.resolve({}) });
      return { status: response.status, json: await response.json(), headers: response.headers };
    };
    expect(await call("")).toMatchObject({ status: 200, json: { via: "oauth" } });
    const client = await call("?fail=oauth");
    expect(client).toMatchObject({ status: 401, json: { error: "invalid_client", error_description: "Client authentication failed." } });
    expect(client.headers.get("www-authenticate")).toBe("Basic");
    expect(await call("?fail=zod")).toMatchObject({ status: 400, json: { error: "invalid_request" } });
    const error = vi.spyOn(logger, "error").mockImplementation(() => undefined);
    expect(await call("?fail=boom")).toEqual(expect.objectContaining({ status: 500, json: { error: "server_error", error_description: "Something went wrong on our side." } }));
    expect(error).toHaveBeenCalledTimes(1);
  });
});

describe("the one status table", () => {
  const body = async (response: Response) => ({ status: response.status, retryAfter: response.headers.get("retry-after"), json: await response.json() });

  it("maps domain errors by code", async () => {
    expect(await body(toErrorResponse(new NotConnectedError("google"), "/x"))).toEqual({
      status: 404,
      retryAfter: null,
      json: { error: { code: "not_connected", message: "No API access is stored for google." } },
    });
    expect((await body(toErrorResponse(new ReconnectRequiredError("google", "invalid_grant"), "/x"))).status).toBe(409);
    const unavailable = await body(toErrorResponse(new RefreshUnavailableError("google", "timeout"), "/x"));
    expect(unavailable).toMatchObject({ status: 503, retryAfter: "30", json: { error: { code: "refresh_unavailable" } } });
    // A backoff that knows when the provider may answer again says so.
    const backoff = Object.assign(new RefreshUnavailableError("google", "429"), { retryAfterSeconds: 120 });
    expect((await body(toErrorResponse(backoff, "/x"))).retryAfter).toBe("120");
  });

  it("keeps ApiError's own status and headers, turns zod failures into 400 and anything else into a logged 500", async () => {
    expect(await body(toErrorResponse(new ApiError(429, "rate_limited", "Slow down.", { "retry-after": "7" }), "/x"))).toEqual({
      status: 429,
      retryAfter: "7",
      json: { error: { code: "rate_limited", message: "Slow down." } },
    });
    const zod = z.object({ name: z.string() }).safeParse({ name: 1 });
    expect((await body(toErrorResponse(zod.error, "/x"))).json.error.code).toBe("invalid_request");
    const log = vi.spyOn(logger, "error").mockImplementation(() => undefined);
    const unknown = await body(toErrorResponse(Object.assign(new Error("db down: secret-ish detail"), { code: "P1001" }), "/api/x"));
    expect(unknown).toEqual({ status: 500, retryAfter: null, json: { error: { code: "internal_error", message: "Something went wrong on our side." } } });
    expect(log).toHaveBeenCalledOnce();
  });
});
