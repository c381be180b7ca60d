import { ApiError } from "@/lib/http/api-error";
import { json, withApi } from "@/lib/api/with-api";
import { createToken, createTokenSchema } from "@/lib/pat/create-token";
import { listTokensForRequest, listTokensQuerySchema } from "@/lib/api/list-tokens-request";
import { asDocumented } from "@/lib/http/as-documented";
import { createdTokenSchema, tokenListSchema } from "@/lib/pat/token-schemas";

export const dynamic = "force-dynamic";

// Creating a token needs the signed-in person (same-origin only), never another token.
export const POST = withApi({ auth: { session: true }, recentSignIn: true, body: createTokenSchema }, async (_request, { principal, body, ip }) => {
  // The credential is re-checked under the per-user lock revoke-all takes too.
  const credential = principal.via === "session" ? { sessionToken: principal.sessionToken } : { patId: principal.token.id };
  const result = await createToken(principal.user, body, { ip, credential });
  if (!result.ok) throw new ApiError(result.code, result.message);
  const { id, name, scopes, createdAt, expiresAt, tokenHint } = result.view;
  return json(asDocumented(createdTokenSchema, { id, name, scopes, createdAt, expiresAt, tokenHint, token: result.token }), 201);
});

export const GET = withApi({ auth: { session: true, pat: true }, scope: "tokens:read", query: listTokensQuerySchema }, async (_request, { principal, query }) =>
  json(asDocumented(tokenListSchema, await listTokensForRequest(principal.user.id, query))),
);
