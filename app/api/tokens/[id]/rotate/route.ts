import { asDocumented } from "@/lib/http/as-documented";
import { rotatedTokenSchema } from "@/lib/pat/token-schemas";
import { ApiError, notFound } from "@/lib/http/api-error";
import { json, parseOptionalJsonBody, withApi } from "@/lib/api/with-api";
import { resolveTokenId } from "@/lib/api/resolve-token-id";
import { tokenParams } from "@/lib/api/route-params";
import { rotateToken, rotateTokenSchema } from "@/lib/pat/rotate-token";

export const dynamic = "force-dynamic";

// POST /api/tokens/{id}/rotate, and /api/tokens/current/rotate (the presented PAT rotates itself).
export const POST = withApi(
  { auth: { session: true, pat: true }, scope: "tokens:write", recentSignIn: true, params: tokenParams },
  async (request, { principal, params, ip }) => {
    // A new PAT value is a credential outside the app's grant (revoking the app would not end it): apps never mint one.
    if (principal.via === "app") throw new ApiError("insufficient_scope", "An application's token cannot regenerate personal access tokens.");
    const tokenId = resolveTokenId(principal, params.id);
    // Parsed here, not by withApi: an application's token and a bad `current` are refused before the body is read.
    const input = await parseOptionalJsonBody(request, rotateTokenSchema);
    const credential = principal.via === "session" ? { sessionToken: principal.sessionToken } : { patId: principal.token.id };
    const presentedScopes = principal.via === "pat" ? principal.token.scopes : null;
    const result = await rotateToken(principal.user, tokenId, input, { ip, credential, presentedScopes });
    if (!result.ok) throw result.code === "not_found" ? notFound() : new ApiError(result.code, result.message);
    const { name, scopes, createdAt, expiresAt, tokenHint } = result.view;
    return json(
      asDocumented(rotatedTokenSchema, {
        id: result.view.id,
        name,
        scopes,
        createdAt,
        expiresAt,
        tokenHint,
        token: result.token,
        previousToken: { id: result.previous.id, stopsAt: result.previous.stopsAt.toISOString() },
      }),
      201,
    );
  },
);
