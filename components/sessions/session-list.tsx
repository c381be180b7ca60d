import { Badge } from "@/components/ui/badge";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import type { SessionView } from "@/lib/auth/list-sessions";
import { formatDateTime, formatRelativeTime } from "@/lib/ui/format";

/** One card per signed-in browser: a list, not a table, so it reads the same at 390 px. */
export function SessionList({ sessions, signOutAction }: { sessions: SessionView[]; signOutAction: (formData: FormData) => Promise<void> }) {
  return (
    <ul className="space-y-3" aria-label="Sessions">
      {sessions.map((session) => (
        <li
          key={session.id}
          data-testid={session.current ? "session-current" : "session-other"}
          className="flex flex-wrap items-start justify-between gap-3 rounded-lg border border-gray-200 dark:border-gray-800 bg-white dark:bg-gray-900 p-4"
        >
          <div className="min-w-0 space-y-1">
            <p className="flex flex-wrap items-center gap-2 font-medium text-gray-900 dark:text-gray-100">
              {session.device}
              {session.current ? <Badge tone="green">This device</Badge> : null}
            </p>
            <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-sm text-gray-600 dark:text-gray-400">
              <dt>Address</dt>
              <dd className="font-mono [overflow-wrap:anywhere]">{session.ip ?? "unknown"}</dd>
              <dt>Signed in</dt>
              <dd>
                <time dateTime={session.signedInAt} title={formatDateTime(session.signedInAt)}>
                  {formatRelativeTime(session.signedInAt)}
                </time>
              </dd>
              <dt>Last seen</dt>
              <dd>
                {session.current ? (
                  "now"
                ) : session.lastSeenAt ? (
                  <time dateTime={session.lastSeenAt} title={formatDateTime(session.lastSeenAt)}>
                    {formatRelativeTime(session.lastSeenAt)}
                  </time>
                ) : (
                  "not since it signed in"
                )}
              </dd>
            </dl>
          </div>
          {session.current ? null : (
            <ConfirmDialog
              triggerLabel="Sign out"
              triggerVariant="secondary"
              title={`Sign out ${session.device}?`}
              description="That browser must sign in again on its next request."
              confirmLabel="Sign it out"
              pendingLabel="Signing out…"
              action={signOutAction}
              hiddenFields={{ sessionId: session.id }}
            />
          )}
        </li>
      ))}
    </ul>
  );
}
