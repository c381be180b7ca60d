import type { Prisma } from "@/lib/db/generated/client";
import { createNotification } from "@/lib/notifications/create-notification";

export type TokenIncidentReason = "leaked" | "reuse_detected";
/** The notification kinds of tokens Tessera revoked on its own; the tokens page shows them as its incident banner. */
export const TOKEN_INCIDENT_KINDS = ["pat.leaked", "pat.reuse_detected"] as const;

const TEXTS: Record<TokenIncidentReason, (name: string) => { title: string; body: string }> = {
  leaked: (name) => ({
    title: `Token “${name}” was revoked: reported leaked`,
    body: `“${name}” was reported leaked (found in public, e.g. a repository) and revoked. Create or regenerate a token for the scripts that used it.`,
  }),
  reuse_detected: (name) => ({
    title: `Token “${name}” was revoked: an old value was used`,
    body: `“${name}” was revoked because an older value of it was used after you regenerated it. Create or regenerate a token for the scripts that used it.`,
  }),
};

/**
 * Tells the owner, once per rotation family and reason, that Tessera revoked a token of theirs (the bell, the
 * tokens page's banner, mail when set up). Once per family: reuse detection ends every token of a chain, and a
 * chain is one token to its owner. Runs in the revoking transaction.
 */
export async function notifyTokenIncident(
  incident: { userId: string; patId: string; familyId: string | null; name: string; reason: TokenIncidentReason },
  tx: Prisma.TransactionClient,
): Promise<void> {
  await createNotification(
    {
      userId: incident.userId,
      kind: `pat.${incident.reason}`,
      ...TEXTS[incident.reason](incident.name),
      patId: incident.patId,
      dedupeKey: `pat-incident:${incident.reason}:${incident.familyId ?? incident.patId}`,
    },
    tx,
  );
}
