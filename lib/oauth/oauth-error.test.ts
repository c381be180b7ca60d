import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ApiError } from "@/lib/http/api-error";
import {
  IntrospectionNotAllowed,
  InvalidClient,
  InvalidGrant,
  InvalidRequest,
  InvalidScope,
  InvalidTarget,
  type OAuthError,
  oauthErrorFor,
  RateLimited,
  RequestTooLarge,
  ServerError,
  TemporarilyUnavailable,
  toOAuthErrorResponse,
  UnauthorizedClient,
  UnsupportedGrantType,
} from "./oauth-error";

const NO_CACHE = { "cache-control": "no-store", pragma: "no-cache" };

async function answer(error: unknown) {
  const response = toOAuthErrorResponse(error, "/api/oauth/token");
  return { status: response.status, body: await response.json(), headers: Object.fromEntries(response.headers) };
}

// Each class's status, body and headers are the wire contract of the OAuth endpoints: these pin them.
const CASES: [string, OAuthError, number, Record<string, string>, Record<string, string>][] = [
  ["InvalidRequest", new InvalidRequest("bad"), 400, { error: "invalid_request", error_description: "bad" }, {}],
  ["RequestTooLarge", new RequestTooLarge(), 413, { error: "invalid_request", error_description: "The request body is too large." }, {}],
  [
    "InvalidClient",
    new InvalidClient(),
    401,
    { error: "invalid_client", error_description: "Client authentication failed." },
    { "www-authenticate": 'Basic realm="tessera"' },
  ],
  ["InvalidGrant", new InvalidGrant("used"), 400, { error: "invalid_grant", error_description: "used" }, {}],
  ["InvalidScope", new InvalidScope("wide"), 400, { error: "invalid_scope", error_description: "wide" }, {}],
  ["InvalidTarget", new InvalidTarget("Unknown provider."), 400, { error: "invalid_target", error_description: "Unknown provider." }, {}],
  ["UnauthorizedClient", new UnauthorizedClient("no"), 400, { error: "unauthorized_client", error_description: "no" }, {}],
  [
    "IntrospectionNotAllowed",
    new IntrospectionNotAllowed(),
    403,
    { error: "unauthorized_client", error_description: "This client lacks tokens:introspect." },
    {},
  ],
  ["UnsupportedGrantType", new UnsupportedGrantType("no"), 400, { error: "unsupported_grant_type", error_description: "no" }, {}],
  [
    "TemporarilyUnavailable",
    new TemporarilyUnavailable("refresh_unavailable", 30),
    503,
    { error: "temporarily_unavailable", error_description: "refresh_unavailable" },
    { "retry-after": "30" },
  ],
  [
    "RateLimited",
    new RateLimited(12),
    429,
    { error: "rate_limited", error_description: "Too many requests for this client; try again later." },
    { "retry-after": "12" },
  ],
  ["ServerError", new ServerError(), 500, { error: "server_error", error_description: "Something went wrong on our side." }, {}],
];

describe("OAuth error classes", () => {
  it.each(CASES)("%s answers its fixed status, body and headers", async (name, error, status, body, headers) => {
    expect(error.name).toBe(name);
    expect(await answer(error)).toEqual({ status, body, headers: expect.objectContaining({ ...NO_CACHE, ...headers }) });
  });

  it("does not send WWW-Authenticate or Retry-After where the class has none", async () => {
    const { headers } = await answer(new InvalidRequest("bad"));
    expect(headers).not.toHaveProperty("www-authenticate");
    expect(headers).not.toHaveProperty("retry-after");
  });
});

describe("oauthErrorFor", () => {
  it.each([
    ["invalid_request", InvalidRequest],
    ["invalid_grant", InvalidGrant],
    ["invalid_scope", InvalidScope],
    ["invalid_target", InvalidTarget],
    ["unauthorized_client", UnauthorizedClient],
  ] as const)("maps %s to its class", (code, Class) => {
    const error = oauthErrorFor({ error: code, description: "why" });
    expect(error).toBeInstanceOf(Class);
    expect([error.status, error.error, error.description]).toEqual([400, code, "why"]);
  });

  it("maps temporarily_unavailable to 503 with Retry-After", () => {
    const error = oauthErrorFor({ error: "temporarily_unavailable", description: "refresh_unavailable", retryAfterSeconds: 7 });
    expect(error).toBeInstanceOf(TemporarilyUnavailable);
    expect([error.status, error.headers]).toEqual([503, { "retry-after": "7" }]);
  });
});

describe("toOAuthErrorResponse", () => {
  it("answers a ZodError as invalid_request 400 with its first message", async () => {
    const zodError = z.object({ a: z.string({ error: "a is required." }) }).safeParse({}).error;
    expect(await answer(zodError)).toMatchObject({ status: 400, body: { error: "invalid_request", error_description: "a is required." } });
  });

  it("answers an ApiError below 500 as invalid_request with its status and headers", async () => {
    const apiError = new ApiError("rate_limited", "Too many failed authentication attempts. Try again later.", { "retry-after": "5" });
    expect(await answer(apiError)).toEqual({
      status: 429,
      body: { error: "invalid_request", error_description: "Too many failed authentication attempts. Try again later." },
      headers: expect.objectContaining({ ...NO_CACHE, "retry-after": "5" }),
    });
  });

  it("answers anything else as server_error 500", async () => {
    expect(await answer(new Error("boom"))).toMatchObject({ status: 500, body: { error: "server_error" } });
  });
});
