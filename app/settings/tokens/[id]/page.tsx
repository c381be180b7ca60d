import type { Metadata } from "next";
import Link from "next/link";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { NoticeAlert } from "@/components/layout/notice-alert";
import { PageHeader } from "@/components/layout/page-header";
import { RegenerateTokenDialog } from "@/components/tokens/regenerate-token-dialog";
import { TokenDetails } from "@/components/tokens/token-details";
import { TokenDetailsForm } from "@/components/tokens/token-details-form";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { requireViewer } from "@/lib/auth/viewer";
import { maxLifetimeDays } from "@/lib/pat/create-token";
import { findToken } from "@/lib/pat/find-token";
import { isScope, SCOPE_CATALOGUE } from "@/lib/pat/scopes";
import { tokenDetailPath } from "@/lib/pat/token-detail-path";
import { MAX_TOKEN_DESCRIPTION } from "@/lib/pat/update-token-details";
import { revokeTokenAction, updateTokenDetailsAction } from "../actions";

export const metadata: Metadata = { title: "Personal access token" };

export default async function TokenDetailPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id } = await params;
  const viewer = await requireViewer(tokenDetailPath(id));
  // Another person's token and an unknown id are the same 404.
  const token = await findToken(viewer.id, id);
  if (!token) notFound();
  const query = await searchParams;
  const requestHeaders = await headers();
  const origin = `${requestHeaders.get("x-forwarded-proto") ?? "http"}://${requestHeaders.get("host") ?? "localhost:3000"}`;
  const active = token.status === "active";

  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/settings/tokens" className="text-indigo-700 dark:text-indigo-300 underline-offset-2 hover:underline">
          Personal access tokens
        </Link>
      </nav>
      <PageHeader
        title={token.name}
        description={token.description || "No description yet: say below what uses this token."}
        actions={
          active ? (
            <>
              {!token.rotatedAt ? (
                <RegenerateTokenDialog tokenId={token.id} tokenName={token.name} origin={origin} maxDays={maxLifetimeDays()} openNewToken />
              ) : null}
              <ConfirmDialog
                triggerLabel="Revoke"
                title={`Revoke “${token.name}”?`}
                description="Scripts using this token stop working on their next request. This cannot be undone."
                confirmLabel="Revoke token"
                action={revokeTokenAction}
                hiddenFields={{ tokenId: token.id, returnTo: "detail" }}
              />
            </>
          ) : null
        }
      />
      <NoticeAlert searchParams={query} />
      <TokenDetails
        token={token}
        scopes={token.scopes.map((scope) => ({
          scope,
          description: isScope(scope) ? SCOPE_CATALOGUE[scope].description : "A scope this server no longer knows.",
        }))}
      />
      <Card>
        <CardHeader>
          <CardTitle>Edit details</CardTitle>
        </CardHeader>
        <CardContent>
          <TokenDetailsForm
            tokenId={token.id}
            name={token.name}
            description={token.description}
            maxDescription={MAX_TOKEN_DESCRIPTION}
            action={updateTokenDetailsAction}
          />
        </CardContent>
      </Card>
    </div>
  );
}
