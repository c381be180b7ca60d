import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import type { ConnectionView } from "@/lib/connections/list-connections";
import { formatRelativeTime } from "@/lib/ui/format";
import { plural } from "@/lib/ui/plural";

type Action = (formData: FormData) => Promise<void>;

/**
 * Provider revocations revoke-all could not finish: the tokens are kept (never handed out) until the
 * provider confirms. Retry asks the provider again; the other button gives up on the provider.
 */
export function PendingRevocations({
  userId,
  connections,
  retryAction,
  deleteAction,
}: {
  userId: string;
  connections: ConnectionView[];
  retryAction: Action;
  deleteAction: Action;
}) {
  const pending = connections.filter((c) => c.revocation);
  if (!pending.length) return null;
  return (
    <Card data-testid="pending-revocations">
      <CardHeader>
        <CardTitle>Provider revocations not confirmed</CardTitle>
      </CardHeader>
      <CardContent>
        <ul className="space-y-3 text-sm">
          {pending.map((c) => (
            <li key={c.provider} className="space-y-2" data-testid={`pending-revocation-${c.provider}`}>
              <div className="flex flex-wrap items-center gap-3">
                <span className="w-24 font-medium">{c.label}</span>
                <Badge tone={c.status === "revocation_failed" ? "red" : "amber"}>
                  {c.status === "revocation_failed" ? "revocation failed" : "revocation pending"}
                </Badge>
                <span className="text-gray-600 dark:text-gray-400">
                  {c.tokenNames.join(", ") || "no tokens"} kept, never used
                  {c.revocation!.since ? ` · since ${formatRelativeTime(c.revocation!.since)}` : ""}
                  {c.revocation!.attempts ? ` · ${plural(c.revocation!.attempts, "attempt")}` : ""}
                  {c.revocation!.error ? ` · last error: ${c.revocation!.error}` : ""}
                </span>
              </div>
              <div className="flex flex-wrap gap-2">
                <ConfirmDialog
                  triggerLabel={`Retry ${c.label} revocation`}
                  triggerVariant="secondary"
                  title={`Ask ${c.label} again to revoke these tokens?`}
                  description="Tessera deletes its copies once the provider confirms; if it still fails they stay stored, unused."
                  confirmLabel="Retry"
                  confirmVariant="primary"
                  action={retryAction}
                  hiddenFields={{ userId, provider: c.provider }}
                />
                <ConfirmDialog
                  triggerLabel="Delete without provider revocation"
                  title={`Delete the ${c.label} tokens without revoking them?`}
                  description={`Tessera deletes its copies now. The grant may stay valid at ${c.label} until it expires or is revoked there; this is recorded in the audit log.`}
                  confirmLabel="Delete without revocation"
                  action={deleteAction}
                  hiddenFields={{ userId, provider: c.provider }}
                />
              </div>
            </li>
          ))}
        </ul>
      </CardContent>
    </Card>
  );
}
