import type { Metadata } from "next";
import Link from "next/link";
import { NoticeAlert } from "@/components/layout/notice-alert";
import { Alert } from "@/components/ui/alert";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { SubmitButton } from "@/components/ui/submit-button";
import { requireViewer } from "@/lib/auth/viewer";
import { CONNECT_FAILURES } from "@/lib/connect/connect-error";
import { findConnectRequest } from "@/lib/connect/find-connect-request";
import { continueConnectAction } from "../actions";

export const metadata: Metadata = { title: "Connect a provider" };
export const dynamic = "force-dynamic";

/**
 * /connect/<id>: the link a service or an MCP client hands a person when it needs provider access (or more
 * scopes) they have not granted. Only that person sees what is asked; "Continue" asks the provider for what
 * the grant holds plus what is missing.
 */
export default async function ConnectPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id } = await params;
  const viewer = await requireViewer(`/connect/${encodeURIComponent(id)}`);
  const [found, query] = await Promise.all([findConnectRequest(id, viewer.id), searchParams]);

  if (!found.ok) {
    return (
      <div className="mx-auto max-w-md py-8">
        <Card>
          <CardHeader>
            <CardTitle>Connect a provider</CardTitle>
          </CardHeader>
          <CardContent className="space-y-4">
            <Alert tone="error">{CONNECT_FAILURES[found.failure]}</Alert>
            <Link className="text-sm underline" href="/settings/connections">
              Go to your connections
            </Link>
          </CardContent>
        </Card>
      </div>
    );
  }

  const { request } = found;
  const who = request.requestedByName ?? "You";
  return (
    <div className="mx-auto max-w-md py-8">
      <NoticeAlert searchParams={query} />
      <Card>
        <CardHeader>
          <CardTitle>Connect {request.providerLabel}</CardTitle>
          <CardDescription>
            {request.requestedByName
              ? `${who} asks to act for you at ${request.providerLabel} with this access. Tessera keeps the tokens; you can block it or disconnect at any time.`
              : `Tessera will ask ${request.providerLabel} for this access and keep the tokens encrypted.`}
          </CardDescription>
        </CardHeader>
        <CardContent className="space-y-4">
          {request.missing.length > 0 ? (
            <div>
              <p className="text-sm font-medium">Access asked for</p>
              <ul className="mt-1 list-inside list-disc text-sm break-all">
                {request.missing.map((scope) => (
                  <li key={scope}>
                    <code>{scope}</code>
                  </li>
                ))}
              </ul>
            </div>
          ) : (
            <p className="text-sm">Your {request.providerLabel} grant already holds everything asked for; continuing refreshes it.</p>
          )}
          {request.granted.length > 0 && <p className="text-sm text-muted-foreground break-all">Kept from your current grant: {request.granted.join(", ")}</p>}
          <form action={continueConnectAction}>
            <input type="hidden" name="requestId" value={request.id} />
            <SubmitButton>Continue to {request.providerLabel}</SubmitButton>
          </form>
          <Link className="block text-sm underline" href="/settings/connections">
            Not now
          </Link>
        </CardContent>
      </Card>
    </div>
  );
}
