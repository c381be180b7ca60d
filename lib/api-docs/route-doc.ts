import { z } from "zod";
import type { ZodOpenApiOperationObject, ZodOpenApiResponseObject } from "zod-openapi";
import type { Scope } from "@/lib/pat/scopes";

export type HttpMethod = "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS";

/**
 * Who may call an operation. It becomes the operation's `security`, the `x-tessera-access` extension
 * that /docs shows, the standard error responses (401/403/404/429) and the curl example's credentials.
 */
export type Access =
  /** Anyone; answers the same to everyone. */
  | { kind: "public" }
  /** withApi: a signed-in person's session, and PATs carrying `scope` unless `scope` is null (session only). */
  /** `recentSignIn`: sudo mode (lib/auth/require-recent-sign-in.ts), a session caller must have signed in within 10 minutes. */
  | { kind: "user"; scope: Scope | null; admin?: boolean; recentSignIn?: boolean }
  /** An OAuth endpoint: the service client authenticates per RFC 6749 §2.3.1 (Basic or in the form); `optional` for RFC 7009. */
  | { kind: "oauth-client"; optional?: boolean; permission?: string }
  /** Prometheus: METRICS_TOKEN as a bearer token, or loopback only when unset. */
  | { kind: "metrics" }
  /** A service access token (tsr_sat_…, client_credentials) carrying `permission`: the provider API proxy. */
  | { kind: "service"; permission: string };

/**
 * One documented route operation. `path` is the OpenAPI template of the route file's folder
 * (`app/api/tokens/[id]/route.ts` → `/api/tokens/{id}`, a catch-all `[...path]` → `{path}`); `responses` lists every status the route
 * itself answers, beyond the ones its `access` adds. Everything else is zod-openapi's operation object.
 */
export type RouteDoc = {
  method: HttpMethod;
  path: string;
  access: Access;
  operation: Omit<ZodOpenApiOperationObject, "security" | "tags"> & { responses: Record<string, ZodOpenApiResponseObject> };
};

/** The per-area files export a tag and their operations; lib/api-docs/paths/index.ts lists them. */
export type RouteArea = { tag: { name: string; description: string }; routes: RouteDoc[] };

export const defineArea = (area: RouteArea): RouteArea => area;

// ---- Error shapes ----------------------------------------------------------------------------

/** Every non-OAuth failure: `{"error": {"code", "message"}}` (lib/http/api-error.ts, to-error-response.ts). */
export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: "Stable and machine-readable; the message may change.", example: "invalid_request" }),
      message: z.string().meta({ example: "name: Name is required" }),
    }),
  })
  .meta({ id: "Error", description: "The JSON error body of every route except the OAuth endpoints." });

/** RFC 6749 §5.2 (and 7662 / 7009): the OAuth endpoints' failures. */
export const oauthErrorBodySchema = z
  .object({
    error: z.string().meta({
      description:
        "invalid_request, invalid_client, invalid_grant, invalid_scope, invalid_target, unauthorized_client, unsupported_grant_type, temporarily_unavailable, rate_limited, server_error.",
      example: "invalid_client",
    }),
    error_description: z.string().optional().meta({ example: "Client authentication failed." }),
    scope: z.string().optional().meta({ description: "insufficient_scope (token exchange): the provider scopes the person has not granted yet." }),
    connect_uri: z.string().optional().meta({
      description: "insufficient_scope (token exchange): a Tessera page the person opens to grant them; it works only for that person.",
      example: "http://localhost:3000/connect/3kT…",
    }),
  })
  .meta({ id: "OAuthError", description: "RFC 6749 §5.2 error response." });

const wwwAuthenticate = z
  .string()
  .optional()
  .meta({ description: "The authentication scheme to use (RFC 6750 §3 for bearer tokens).", example: 'Bearer realm="tessera", error="invalid_token"' });
const retryAfter = z.string().meta({ description: "Seconds to wait before retrying.", example: "30" });

/** An error response with our JSON body; `codes` are the error codes this status can carry. */
export function errorResponse(description: string, codes: string[], headers?: { wwwAuthenticate?: boolean; retryAfter?: boolean }): ZodOpenApiResponseObject {
  return {
    description: `${description} Codes: ${codes.map((code) => `\`${code}\``).join(", ")}.`,
    ...(headers
      ? {
          headers: z.object({
            ...(headers.wwwAuthenticate ? { "WWW-Authenticate": wwwAuthenticate } : {}),
            ...(headers.retryAfter ? { "Retry-After": retryAfter } : {}),
          }),
        }
      : {}),
    content: { "application/json": { schema: errorBodySchema, example: { error: { code: codes[0], message: "…" } } } },
  };
}

/** An RFC 6749 error response. */
export function oauthErrorResponse(
  description: string,
  errors: string[],
  headers?: { wwwAuthenticate?: boolean; retryAfter?: boolean },
): ZodOpenApiResponseObject {
  return {
    description: `${description} \`error\`: ${errors.map((error) => `\`${error}\``).join(", ")}.`,
    ...(headers
      ? {
          headers: z.object({
            ...(headers.wwwAuthenticate ? { "WWW-Authenticate": wwwAuthenticate } : {}),
            ...(headers.retryAfter ? { "Retry-After": retryAfter } : {}),
          }),
        }
      : {}),
    content: { "application/json": { schema: oauthErrorBodySchema, example: { error: errors[0], error_description: "…" } } },
  };
}

/** The failures any JSON-body route answers (lib/api/read-json-body.ts and zod). */
export const JSON_BODY_ERRORS: Record<string, ZodOpenApiResponseObject> = {
  400: errorResponse("The body is not JSON, or fails validation (the message names the field).", ["invalid_request", "invalid_json"]),
  413: errorResponse("The body is larger than 64 KiB.", ["payload_too_large"]),
  415: errorResponse("The body is not `application/json`.", ["unsupported_media_type"]),
};

/** The failures any OAuth endpoint answers (lib/oauth/read-form.ts, authenticate-client.ts). */
export const OAUTH_FORM_ERRORS: Record<string, ZodOpenApiResponseObject> = {
  400: oauthErrorResponse("Not a form, a repeated parameter, a missing or invalid parameter, or two client authentication methods.", ["invalid_request"]),
  413: oauthErrorResponse("The form is larger than 16 KiB.", ["invalid_request"]),
};
