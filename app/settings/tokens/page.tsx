import type { Metadata } from "next";
import { headers } from "next/headers";
import { NoticeAlert } from "@/components/layout/notice-alert";
import { PageHeader } from "@/components/layout/page-header";
import { CreateTokenForm } from "@/components/tokens/create-token-form";
import { TokenTable } from "@/components/tokens/token-table";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { CodeBlock } from "@/components/ui/code-block";
import { EmptyState } from "@/components/ui/empty-state";
import { Pagination } from "@/components/ui/pagination";
import { confirmItsYouPath, hasRecentSignIn, RECENT_SIGN_IN_MINUTES } from "@/lib/auth/require-recent-sign-in";
import { getViewerSessionToken, requireViewer } from "@/lib/auth/viewer";
import { maxLifetimeDays } from "@/lib/pat/create-token";
import { isOwnTokenId, listTokens } from "@/lib/pat/list-tokens";
import { listTokenIncidents } from "@/lib/pat/list-token-incidents";
import { Alert } from "@/components/ui/alert";
import { TokenIncidentsBanner } from "@/components/tokens/token-incidents-banner";
import { TOKEN_INCIDENT_KINDS } from "@/lib/pat/notify-token-incident";
import { markNotificationsReadAction } from "@/app/actions/notifications";
import { SCOPE_CATALOGUE, scopesFor } from "@/lib/pat/scopes";
import { listNotifications } from "@/lib/notifications/list-notifications";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { revokeAllTokensAction, revokeTokenAction } from "./actions";

export const metadata: Metadata = { title: "Personal access tokens" };

export default async function TokensPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const viewer = await requireViewer("/settings/tokens");
  const params = await searchParams;
  const cursor = typeof params.cursor === "string" && (await isOwnTokenId(viewer.id, params.cursor)) ? params.cursor : null;
  const [{ tokens, nextCursor }, incidents] = await Promise.all([listTokens(viewer.id, { cursor }), listTokenIncidents(viewer.id)]);
  const requestHeaders = await headers();
  const origin = `${requestHeaders.get("x-forwarded-proto") ?? "http"}://${requestHeaders.get("host") ?? "localhost:3000"}`;
  // Unread token notices (expiring soon, about to be revoked for inactivity): the same as the header menu's.
  // Revoked-token incidents have their own banner above: not listed twice.
  const tokenNotices = (await listNotifications(viewer.id, { kindPrefix: "pat.", take: 10 })).items.filter(
    (n) => !n.read && !(TOKEN_INCIDENT_KINDS as readonly string[]).includes(n.kind),
  );
  // Sudo mode: say before the form, not after it, that creating asks for a fresh sign-in.
  const recentSignIn = await hasRecentSignIn(await getViewerSessionToken());
  const scopes = scopesFor(viewer.role).map((scope) => ({ scope, description: SCOPE_CATALOGUE[scope].description }));

  return (
    <div className="space-y-6">
      <PageHeader
        title="Personal access tokens"
        description="Tokens let scripts, CI jobs and curl call Tessera's API as you, with only the scopes you choose."
      />
      <NoticeAlert searchParams={params} />
      <TokenIncidentsBanner incidents={incidents} dismissAction={markNotificationsReadAction} />
      {tokenNotices.length > 0 ? (
        <section className="space-y-2" aria-label="Token notices" data-testid="token-notices">
          {tokenNotices.map((notice) => (
            <Alert key={notice.id} tone="warning" title={notice.title}>
              {notice.body}
            </Alert>
          ))}
        </section>
      ) : null}
      <Card>
        <CardHeader>
          <CardTitle>New token</CardTitle>
        </CardHeader>
        <CardContent className="space-y-4">
          {recentSignIn ? null : (
            <Alert tone="info" title="Confirm it's you" data-testid="confirm-its-you">
              Creating a token needs a sign-in within the last {RECENT_SIGN_IN_MINUTES} minutes. When you create one, Tessera asks you to sign in again with
              your provider and brings you back here.{" "}
              <a href={confirmItsYouPath("/settings/tokens")} className="font-medium underline">
                Confirm it&apos;s you now
              </a>
            </Alert>
          )}
          <CreateTokenForm scopes={scopes} maxDays={maxLifetimeDays()} origin={origin} />
        </CardContent>
      </Card>
      <section className="space-y-3">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 className="text-lg font-semibold">Your tokens</h2>
          {tokens.some((token) => token.status === "active") || cursor ? (
            <ConfirmDialog
              triggerLabel="Revoke all my tokens"
              title="Revoke all your tokens?"
              description="Every active personal access token of yours stops working on its next request: scripts, CI jobs and tools that use one will fail until you give them a new token. Other people's tokens are not affected. This cannot be undone."
              confirmLabel="Revoke all tokens"
              pendingLabel="Revoking…"
              action={revokeAllTokensAction}
            />
          ) : null}
        </div>
        {tokens.length === 0 && !cursor ? (
          <EmptyState
            title="No tokens yet"
            description="A personal access token lets a script act as you without a browser sign-in. It is shown once when you create it; Tessera stores only a hash."
          >
            <CodeBlock>{`curl -H "Authorization: Bearer tsr_pat_…" ${origin}/api/v1/me`}</CodeBlock>
          </EmptyState>
        ) : (
          <>
            <TokenTable tokens={tokens} revokeAction={revokeTokenAction} regenerateOrigin={origin} linkToDetails />
            <Pagination
              prevHref={cursor ? "/settings/tokens" : null}
              prevLabel="First page"
              nextHref={nextCursor ? `/settings/tokens?cursor=${nextCursor}` : null}
            />
          </>
        )}
      </section>
    </div>
  );
}
