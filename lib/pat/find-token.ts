import { getDb } from "@/lib/db/client";
import { patIdSchema } from "./token-schemas";
import { toTokenView, type TokenView } from "./token-view";

/**
 * One of the user's tokens, for its detail page; null when the user has no token with that id (someone
 * else's token looks exactly like an unknown one). Malformed ids are null before any query.
 */
export async function findToken(userId: string, tokenId: string): Promise<TokenView | null> {
  if (!patIdSchema.safeParse(tokenId).success) return null;
  const row = await getDb().personalAccessToken.findFirst({ where: { id: tokenId, userId } });
  return row ? toTokenView(row) : null;
}
