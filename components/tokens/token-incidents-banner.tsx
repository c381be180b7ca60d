import { Alert } from "@/components/ui/alert";
import { SubmitButton } from "@/components/ui/submit-button";
import type { TokenIncident } from "@/lib/pat/list-token-incidents";
import { formatRelativeTime } from "@/lib/ui/format";

/**
 * Tokens Tessera revoked on its own, one line per token (a regenerated chain is one token), each with
 * "Dismiss": the line is a notification, so dismissing it (or "Mark all read" in the bell) ends it.
 */
export function TokenIncidentsBanner({
  incidents,
  dismissAction,
}: {
  incidents: TokenIncident[];
  dismissAction: (formData: FormData) => void | Promise<void>;
}) {
  if (incidents.length === 0) return null;
  return (
    <Alert tone="warning" title="Tessera revoked tokens of yours to protect you" data-testid="token-incidents">
      <ul className="space-y-2">
        {incidents.map((incident) => (
          <li key={incident.id} className="flex flex-wrap items-start justify-between gap-2" data-testid="token-incident">
            <span className="min-w-0 flex-1">
              “{incident.name}”{" "}
              {incident.reason === "leaked"
                ? "was reported leaked (found in public, e.g. a repository) and revoked"
                : "was revoked because an older value of it was used after you regenerated it"}{" "}
              {formatRelativeTime(incident.revokedAt)}. Create or regenerate a token for the scripts that used it.
            </span>
            <form action={dismissAction}>
              <input type="hidden" name="notificationId" value={incident.id} />
              <SubmitButton size="sm" variant="secondary" pendingLabel="Dismissing…" aria-label={`Dismiss the notice about “${incident.name}”`}>
                Dismiss
              </SubmitButton>
            </form>
          </li>
        ))}
      </ul>
    </Alert>
  );
}
