import { NextRequest } from "next/server";
import { z } from "zod";
import { afterEach, describe, expect, it, vi } from "vitest";
import { logger } from "@/lib/log/logger";
import { NotConnectedError, ReconnectRequiredError, RefreshUnavailableError } from "@/lib/provider-tokens/errors";
import { ApiError } from "./api-error";
import { toErrorResponse } from "./to-error-response";
import { API_ROUTE, json, withApi } from "./with-api";

const ok = async () => json({ ok: true });
const INTERNAL = "internal-service-token-for-unit-tests-0123456789";

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

  it("service audience: 404 while INTERNAL_API_TOKEN is unset, 401 for any other credential, the handler with the token", async () => {
    const route = withApi({ auth: { service: true } }, async (_request, { principal }) => json({ via: principal.via }));
    const call = (headers: Record<string, string>) => route(new NextRequest("http://localhost:3000/api/internal/x", { method: "POST", headers }), { params: Promise.resolve({}) });
    vi.stubEnv("INTERNAL_API_TOKEN", "");
    expect((await call({ authorization: `Bearer ${INTERNAL}` })).status).toBe(404);
    vi.stubEnv("INTERNAL_API_TOKEN", INTERNAL);
    const wrong = await call({ authorization: "Bearer tsr_pat_notTheServiceToken" });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("www-authenticate")).toBe('Bearer realm="tessera-internal"');
    expect((await call({ cookie: "authjs.session-token=abc" })).status).toBe(401);
    const right = await call({ authorization: `Bearer ${INTERNAL}` });
    expect(right.status).toBe(200);
    expect(await right.json()).toEqual({ via: "service" });
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
