import { ApiError } from "../http/api-error";
import type { UserPrincipal } from "./with-api";

/** `current` names the PAT that authenticates this request; a session or an application's token has none. */
export function resolveTokenId(principal: UserPrincipal, id: string): string {
  if (id !== "current") return id;
  if (principal.via !== "pat") throw new ApiError("invalid_request", "`current` means the token that authenticates this request; none was sent.");
  return principal.token.id;
}
