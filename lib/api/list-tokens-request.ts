import { z } from "zod";
import { isOwnTokenId, listTokens } from "@/lib/pat/list-tokens";
import { ApiError } from "../http/api-error";

export const listTokensQuerySchema = z.object({
  cursor: z
    .string()
    .regex(/^pat_[A-Za-z0-9]{1,40}$/, "Unknown cursor")
    .optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

export type ListTokensQuery = z.infer<typeof listTokensQuerySchema>;

/** GET /api/tokens and /api/v1/tokens share this (the query parsed by withApi): `{ tokens, nextCursor }`, the user's own only. */
export async function listTokensForRequest(userId: string, query: ListTokensQuery) {
  if (query.cursor && !(await isOwnTokenId(userId, query.cursor))) throw new ApiError("invalid_request", "cursor: Unknown cursor");
  return listTokens(userId, query);
}
