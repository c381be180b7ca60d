import { z } from "zod";
import { listTokensQuerySchema } from "@/lib/api/list-tokens-request";
import { createTokenSchema } from "@/lib/pat/create-token";
import { rotateTokenSchema } from "@/lib/pat/rotate-token";
import { createdTokenSchema, rotatedTokenSchema, tokenIdParamSchema, tokenListSchema } from "@/lib/pat/token-schemas";
import { defineArea, errorResponse, JSON_BODY_ERRORS } from "../route-doc";

const listTokens = {
  requestParams: { query: listTokensQuerySchema },
  responses: {
    200: {
      description: "Your tokens, newest first: names, scopes, dates and hints, never values.",
      content: { "application/json": { schema: tokenListSchema } },
    },
    400: errorResponse("A bad `limit`, or a `cursor` that is not one of your tokens.", ["invalid_request"]),
  },
};

export const tokensArea = defineArea({
  tag: { name: "Personal access tokens", description: "Create, list and revoke the tokens scripts use to call Tessera as you." },
  routes: [
    {
      method: "POST",
      path: "/api/tokens",
      access: { kind: "user", scope: null, recentSignIn: true },
      operation: {
        operationId: "createToken",
        summary: "Create a personal access token",
        description:
          "Needs a signed-in browser session (same origin), never another token. The response is the only place the token value ever appears: copy it then. Give exactly one of `expiresInDays` or `expiresAt` (at most PAT_MAX_LIFETIME_DAYS, 365 by default).",
        requestBody: {
          required: true,
          content: {
            "application/json": { schema: createTokenSchema, example: { name: "nightly backup", scopes: ["profile:read", "tokens:read"], expiresInDays: 30 } },
          },
        },
        responses: {
          201: { description: "Created. `token` is shown here once.", content: { "application/json": { schema: createdTokenSchema } } },
          ...JSON_BODY_ERRORS,
          401: errorResponse("No session, or the session ended while the token was being created (revoke-all).", ["unauthorized", "credential_revoked"], {
            wwwAuthenticate: true,
          }),
          403: errorResponse("A cross-origin request, a scope your role may not grant (admin), or a sign-in over 10 minutes old (sudo mode).", [
            "cross_origin",
            "scope_not_allowed",
            "recent_sign_in_required",
          ]),
          409: errorResponse("You already have a token with this name.", ["name_taken"]),
        },
      },
    },
    {
      method: "GET",
      path: "/api/tokens",
      access: { kind: "user", scope: "tokens:read" },
      operation: {
        operationId: "listTokens",
        summary: "List your tokens",
        description: "Same as `GET /api/v1/tokens`. Pages of `limit` (1–100, default 50).",
        ...listTokens,
      },
    },
    {
      method: "GET",
      path: "/api/v1/tokens",
      access: { kind: "user", scope: "tokens:read" },
      operation: {
        operationId: "listTokensV1",
        summary: "List your tokens (v1)",
        description: "Pages of `limit` (1–100, default 50); follow `nextCursor`.",
        ...listTokens,
      },
    },
    {
      method: "DELETE",
      path: "/api/tokens/{id}",
      access: { kind: "user", scope: "tokens:write" },
      operation: {
        operationId: "revokeToken",
        summary: "Revoke a token",
        description: "Revokes one of your tokens at once. `current` revokes the token that authenticates this request (a script revoking itself).",
        requestParams: { path: z.object({ id: tokenIdParamSchema }) },
        responses: {
          204: { description: "Revoked (or it already was)." },
          400: errorResponse("`current` with no token in the request (a browser session).", ["invalid_request"]),
          404: errorResponse("No token of yours with this id.", ["not_found"]),
        },
      },
    },
    {
      method: "POST",
      path: "/api/tokens/{id}/rotate",
      access: { kind: "user", scope: "tokens:write", recentSignIn: true },
      operation: {
        operationId: "rotateToken",
        summary: "Regenerate a token",
        description:
          "Issues a new value with the same name and scopes; the old value stops working now, or after `overlapSeconds` (at most 86400). `current` rotates the token that authenticates this request (a script renewing itself). `expiresInDays` sets the new lifetime (default: the old one's). A token may be rotated once; an application's token may not rotate PATs.",
        requestParams: { path: z.object({ id: tokenIdParamSchema }) },
        requestBody: { required: false, content: { "application/json": { schema: rotateTokenSchema, example: { overlapSeconds: 300, expiresInDays: 30 } } } },
        responses: {
          201: { description: "The new token. `token` is shown here once.", content: { "application/json": { schema: rotatedTokenSchema } } },
          ...JSON_BODY_ERRORS,
          400: errorResponse("The body fails validation, a bad `expiresInDays`, or `current` with no token in the request (a browser session).", [
            "invalid_request",
            "invalid_json",
            "invalid_expiry",
          ]),
          401: errorResponse("No valid credential, or it was revoked while the token was being rotated (revoke-all).", ["unauthorized", "credential_revoked"], {
            wwwAuthenticate: true,
          }),
          403: errorResponse(
            "The token lacks `tokens:write`, a token may not rotate one with scopes it does not hold, an application's token, a scope your role no longer allows, a cross-origin session write, or a session whose sign-in is over 10 minutes old (sudo mode).",
            ["insufficient_scope", "scope_not_allowed", "cross_origin", "recent_sign_in_required"],
          ),
          404: errorResponse("No token of yours with this id.", ["not_found"]),
          409: errorResponse("The token is revoked or expired, or was already rotated.", ["token_inactive", "already_rotated"]),
        },
      },
    },
  ],
});
