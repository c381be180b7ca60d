import { notFound } from "@/lib/api/api-error";
import { json, withApi } from "@/lib/api/with-api";
import { countTokenHandout } from "@/lib/metrics/count-token-handout";
import { getFreshAccessToken } from "@/lib/provider-tokens/get-fresh-access-token";
import { userIdSchema } from "@/lib/api/user-id-schema";
import { isProviderId } from "@/lib/providers/catalog";

export const dynamic = "force-dynamic";

/**
 * The one deliberate exception to "token values never leave Tessera": an authorised internal service
 * gets a user's fresh ACCESS token (refreshed if due). Never a refresh token. Not connected (404),
 * needs reconnect (409) and refresh unavailable (503 + Retry-After) come from withApi's status table.
 */
export const POST = withApi<{ id: string; provider: string }>({ auth: { service: true } }, async (_request, { params: { id, provider } }) => {
  if (!isProviderId(provider) || !userIdSchema.safeParse(id).success) throw notFound();
  const token = await countTokenHandout(provider, getFreshAccessToken(id, provider));
  return json({ accessToken: token.accessToken, expiresAt: token.expiresAt?.toISOString() ?? null, scopes: token.scopes, refreshed: token.refreshed });
});
