import { asDocumented } from "@/lib/http/as-documented";
import { rotatedTokenSchema } from "@/lib/pat/token-schemas";
import { ApiError, notFound } from "@/lib/http/api-error";
import { domainError } from "@/lib/api/to-error-response";
import { json, parseOptionalJsonBody, withApi } from "@/lib/api/with-api";
import { rotateToken, rotateTokenSchema } from "@/lib/pat/rotate-token";
import { tokenIdParamSchema } from "@/lib/pat/token-schemas";

export const dynamic = "force-dynamic";

// POST /api/tokens/{id}/rotate, and /api/tokens/current/rotate (the presented PAT rotates itself).
export const POST = withApi<{ id: string }>({ auth: { session: true, pat: true }, scope: "tokens:write" }, async (request, { principal, params, ip }) => {
  const id = tokenIdParamSchema.safeParse(params.id);
  if (!id.success) throw notFound();
  // A new PAT value is a credential outside the app's grant (revoking the app would not end it): apps never mint one.
  if (principal.via === "app") throw new ApiError(403, "insufficient_scope", "An application's token cannot regenerate personal access tokens.");
  let tokenId = id.data;
  if (tokenId === "current") {
    if (principal.via !== "pat") throw new ApiError(400, "invalid_request", "`current` means the token that authenticates this request; none was sent.");
    tokenId = principal.token.id;
  }
  const input = await parseOptionalJsonBody(request, rotateTokenSchema);
  const credential = principal.via === "session" ? { sessionToken: principal.sessionToken } : { patId: principal.token.id };
  const presentedScopes = principal.via === "pat" ? principal.token.scopes : null;
  const result = await rotateToken(principal.user, tokenId, input, { ip, credential, presentedScopes });
  if (!result.ok) {
    if (result.code === "not_found") throw notFound();
    if (result.code === "insufficient_scope") throw new ApiError(403, "insufficient_scope", result.message);
    throw domainError(result.code, result.message);
  }
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
});
