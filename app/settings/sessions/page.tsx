import type { Metadata } from "next";
import { NoticeAlert } from "@/components/layout/notice-alert";
import { PageHeader } from "@/components/layout/page-header";
import { SessionList } from "@/components/sessions/session-list";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { listSessions } from "@/lib/auth/list-sessions";
import { getViewerSessionToken, requireViewer } from "@/lib/auth/viewer";
import { signOutOtherSessionsAction, signOutSessionAction } from "./actions";

export const metadata: Metadata = { title: "Your sessions" };

export default async function SessionsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const viewer = await requireViewer("/settings/sessions");
  const sessions = await listSessions(viewer.id, await getViewerSessionToken());
  const others = sessions.filter((session) => !session.current).length;

  return (
    <div className="space-y-6">
      <PageHeader
        title="Your sessions"
        description="Every browser signed in to Tessera as you. One you do not recognise? Sign it out, then check your provider account."
        actions={
          others > 0 ? (
            <ConfirmDialog
              triggerLabel="Sign out all other sessions"
              title="Sign out all other sessions?"
              description="Every other browser signed in as you must sign in again on its next request. This device stays signed in. Personal access tokens keep working: revoke them on the tokens page."
              confirmLabel="Sign out other sessions"
              pendingLabel="Signing out…"
              action={signOutOtherSessionsAction}
            />
          ) : null
        }
      />
      <NoticeAlert searchParams={await searchParams} />
      <SessionList sessions={sessions} signOutAction={signOutSessionAction} />
    </div>
  );
}
