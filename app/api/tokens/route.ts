import { json, parseJsonBody, withApi } from "@/lib/api/with-api";
import { createToken, createTokenSchema } from "@/lib/pat/create-token";
import { listTokensForRequest } from "@/lib/api/list-tokens-request";
import { domainError } from "@/lib/api/to-error-response";
import { asDocumented } from "@/lib/http/as-documented";
import { createdTokenSchema, tokenListSchema } from "@/lib/pat/token-schemas";

export const dynamic = "force-dynamic";

// Creating a token needs the signed-in person (same-origin only), never another token.
export const POST = withApi({ auth: { session: true } }, async (request, { principal, ip }) => {
  const input = await parseJsonBody(request, createTokenSchema);
  // The credential is re-checked under the per-user lock revoke-all takes too.
  const credential = principal.via === "session" ? { sessionToken: principal.sessionToken } : { patId: principal.token.id };
  const result = await createToken(principal.user, input, { ip, credential });
  if (!result.ok) throw domainError(result.code, result.message);
  const { id, name, scopes, createdAt, expiresAt, tokenHint } = result.view;
  return json(asDocumented(createdTokenSchema, { id, name, scopes, createdAt, expiresAt, tokenHint, token: result.token }), 201);
});

export const GET = withApi({ auth: { session: true, pat: true }, scope: "tokens:read" }, async (request, { principal }) =>
  json(asDocumented(tokenListSchema, await listTokensForRequest(principal.user.id, request.nextUrl.searchParams))),
);
