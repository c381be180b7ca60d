import { patIdSchema } from "./token-schemas";

/** `/settings/tokens/<id>` for a well-formed PAT id; anything else (raw form input) is the list. */
export function tokenDetailPath(tokenId: unknown): string {
  return patIdSchema.safeParse(tokenId).success ? `/settings/tokens/${tokenId as string}` : "/settings/tokens";
}
