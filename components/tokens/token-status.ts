import type { TokenView } from "@/lib/pat/token-view";
import { formatDaysUntil, formatRelativeTime } from "@/lib/ui/format";

export const STATUS_TONE = { active: "green", expired: "gray", revoked: "red" } as const;

/** Why a token stopped, in words, when it was not a person revoking it. */
const REVOKED_REASON: Record<string, string> = {
  rotated: "Replaced: regenerated",
  leaked: "Revoked: reported leaked",
  reuse_detected: "Revoked: an old value was used after regeneration",
};

/** "expires in 12 days", "regenerated; stops in 5 minutes", "Revoked: reported leaked 2 days ago": shared by the table and the detail page. */
export function statusDetail(token: TokenView): string {
  if (token.status === "revoked" && token.revokedAt) {
    const reason = token.revokedReason ? REVOKED_REASON[token.revokedReason] : undefined;
    return `${reason ?? "revoked"} ${formatRelativeTime(new Date(token.revokedAt))}`;
  }
  if (token.rotatedAt)
    return token.status === "active"
      ? `regenerated; stops ${formatRelativeTime(new Date(token.expiresAt))}`
      : `regenerated; stopped ${formatRelativeTime(new Date(token.expiresAt))}`;
  return formatDaysUntil(new Date(token.expiresAt));
}
