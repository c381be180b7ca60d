import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { ConsentScopeList } from "@/components/applications/consent-scope-list";
import { NoticeAlert } from "@/components/layout/notice-alert";
import { Alert } from "@/components/ui/alert";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { SubmitButton } from "@/components/ui/submit-button";
import { pickAuthorizationParams } from "@/lib/oauth-apps/authorize-path";
import { describeConsentScopes } from "@/lib/oauth-apps/consent-scopes";
import { nextAuthorizationStep } from "@/lib/oauth-apps/next-authorization-step";
import { clientIp } from "@/lib/http/client-ip";
import { getViewer } from "@/lib/auth/viewer";
import { issuerFor } from "@/lib/oauth/authorization-server-metadata";
import { decideAuthorizationAction } from "./actions";

export const metadata: Metadata = { title: "Authorize application" };
export const dynamic = "force-dynamic";

/**
 * GET /oauth/authorize (RFC 6749 §4.1.1 with PKCE). An untrustworthy client or redirect URI is shown here
 * and never redirected; signed-out visitors sign in and come back before anything goes back to the app,
 * even an error (lib/oauth-apps/next-authorization-step.ts); a request within what the person already
 * granted skips the screen.
 */
export default async function AuthorizePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const raw = await searchParams;
  const params = pickAuthorizationParams(raw);
  const requestHeaders = await headers();
  const step = await nextAuthorizationStep(params, await getViewer(), {
    issuer: issuerFor(requestHeaders, "http://localhost:3000"),
    ip: clientIp(requestHeaders),
  });
  if (step.kind === "error-page") {
    return (
      <div className="mx-auto max-w-lg py-8">
        <Card>
          <CardHeader>
            <CardTitle>This authorization request cannot be trusted</CardTitle>
          </CardHeader>
          <CardContent className="space-y-3">
            <Alert tone="error" data-testid="authorize-error">
              {step.message}
            </Alert>
            <p className="text-sm text-gray-700 dark:text-gray-300">Tessera did not send you back to the application. Tell its developer, or close this tab.</p>
          </CardContent>
        </Card>
      </div>
    );
  }
  if (step.kind === "sign-in" || step.kind === "redirect") redirect(step.location);
  const { viewer, request, granted } = step;

  const target = new URL(request.redirectUri);
  const owner = request.app.owner ? (request.app.owner.name ?? request.app.owner.email ?? "an unknown developer") : null;
  const unregistered = request.app.registration !== "manual";
  const clientHost = request.app.registration === "metadata_document" ? new URL(request.app.clientId).host : target.host;
  const hidden = Object.entries(params).map(([name, value]) => <input key={name} type="hidden" name={name} value={value} />);
  return (
    <div className="mx-auto max-w-lg py-8">
      <Card>
        <CardHeader>
          <CardTitle>
            Authorize <span data-testid="consent-app-name">{request.app.name}</span>
          </CardTitle>
          <CardDescription>
            {owner ? `by ${owner}` : `from ${clientHost}`}
            {request.app.homepageUrl ? (
              <>
                {" · "}
                <a href={request.app.homepageUrl} rel="noopener noreferrer nofollow" target="_blank" className="text-indigo-700 dark:text-indigo-300 underline">
                  {request.app.homepageUrl}
                </a>
              </>
            ) : null}
          </CardDescription>
        </CardHeader>
        <CardContent className="space-y-4">
          <NoticeAlert searchParams={raw} />
          {unregistered ? (
            <Alert tone="warning" data-testid="consent-unregistered">
              This application was not registered by this server&apos;s admins or anyone here: it{" "}
              {request.app.registration === "metadata_document" ? "describes itself in a document" : "registered itself automatically"} at{" "}
              <strong data-testid="consent-client-host">{clientHost}</strong>. Its name is its own claim. Authorize it only if you expected to connect it.
            </Alert>
          ) : null}
          {request.app.description ? <p className="text-sm text-gray-700 dark:text-gray-300">{request.app.description}</p> : null}
          <p className="text-sm">
            <strong>{request.app.name}</strong> wants to use Tessera&apos;s API as <strong>{viewer.email ?? viewer.name}</strong>. It will be able to:
          </p>
          <ConsentScopeList scopes={describeConsentScopes(request.scopes, granted)} />
          <p className="text-sm text-gray-700 dark:text-gray-300">
            It never receives your Google, Microsoft or GitHub tokens. After you decide, you will be sent to{" "}
            <strong data-testid="consent-redirect-host">{target.host}</strong> ({target.protocol === "https:" ? "https" : "http, this computer"}). You can
            revoke access at any time in Settings → Applications.
          </p>
          <div className="flex justify-end gap-2">
            <form action={decideAuthorizationAction}>
              {hidden}
              <input type="hidden" name="decision" value="deny" />
              <SubmitButton variant="secondary" pendingLabel="Denying…">
                Deny
              </SubmitButton>
            </form>
            <form action={decideAuthorizationAction}>
              {hidden}
              <input type="hidden" name="decision" value="approve" />
              <SubmitButton pendingLabel="Authorizing…">Authorize {request.app.name}</SubmitButton>
            </form>
          </div>
        </CardContent>
      </Card>
    </div>
  );
}
