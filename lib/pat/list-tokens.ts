import { getDb } from "@/lib/db/client";
import { toTokenView, type TokenView } from "./token-view";

export const TOKENS_PAGE_SIZE = 50;

/** The user's tokens, newest first, a page at a time (`cursor` = the last id of the previous page). */
export async function listTokens(
  userId: string,
  options: { cursor?: string | null; limit?: number } = {},
): Promise<{ tokens: TokenView[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(options.limit ?? TOKENS_PAGE_SIZE, 1), 100);
  const rows = await getDb().personalAccessToken.findMany({
    where: { userId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    ...(options.cursor ? { cursor: { id: options.cursor }, skip: 1 } : {}),
  });
  const page = rows.slice(0, limit);
  const now = new Date();
  return { tokens: page.map((row) => toTokenView(row, now)), nextCursor: rows.length > limit ? page[page.length - 1]!.id : null };
}

/** A cursor must be one of this user's token ids; anything else starts from the top. */
export async function isOwnTokenId(userId: string, id: string): Promise<boolean> {
  // Callers pass raw query values (the tokens page's cursor): only a PAT id can be one; a NUL would fail the query.
  if (!/^pat_[A-Za-z0-9]{1,40}$/.test(id)) return false;
  return Boolean(await getDb().personalAccessToken.findFirst({ where: { id, userId }, select: { id: true } }));
}
