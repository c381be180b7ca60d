import type { Metadata } from "next";
import { headers } from "next/headers";
import { ConsentScopeList } from "@/components/applications/consent-scope-list";
import { NoticeAlert } from "@/components/layout/notice-alert";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { SubmitButton } from "@/components/ui/submit-button";
import { requireViewer } from "@/lib/auth/viewer";
import { clientIp } from "@/lib/http/client-ip";
import { describeConsentScopes } from "@/lib/oauth-apps/consent-scopes";
import { deviceVerificationPath } from "@/lib/oauth-apps/device-authorization";
import { findPendingDeviceAuthorization } from "@/lib/oauth-apps/device-authorization-approval";
import { decideDeviceAuthorizationAction } from "./actions";

export const metadata: Metadata = { title: "Connect a device" };
export const dynamic = "force-dynamic";

/**
 * /device (RFC 8628 §3.3): a signed-in person types the code their device (a CLI) shows, or arrives with it
 * filled in (verification_uri_complete), then sees the same consent as /oauth/authorize. Signed out: sign in
 * and come back here with the code. Wrong codes are counted (lib/oauth-apps/device-authorization-approval.ts).
 */
export default async function DevicePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const raw = await searchParams;
  const userCode = typeof raw.user_code === "string" ? raw.user_code.slice(0, 32) : null;
  const viewer = await requireViewer(deviceVerificationPath(userCode));
  const lookup = userCode ? await findPendingDeviceAuthorization(userCode, viewer.id, clientIp(await headers())) : null;

  if (!lookup?.ok) {
    const failed = lookup ? (lookup.reason === "rate_limited" ? "device_code_rate_limited" : "device_code_invalid") : null;
    return (
      <div className="mx-auto max-w-md py-8">
        <Card>
          <CardHeader>
            <CardTitle>Connect a device</CardTitle>
            <CardDescription>Enter the code shown by the device or command-line tool you are signing in to.</CardDescription>
          </CardHeader>
          <CardContent className="space-y-4">
            <NoticeAlert searchParams={raw} fallback={failed} />
            <form method="get" action="/device" className="space-y-3">
              <Label htmlFor="user_code">Code</Label>
              <Input
                id="user_code"
                name="user_code"
                placeholder="XXXX-XXXX"
                autoComplete="off"
                autoCapitalize="characters"
                spellCheck={false}
                maxLength={32}
                required
                className="font-mono uppercase tracking-widest"
                data-testid="device-user-code"
              />
              <Button type="submit">Continue</Button>
            </form>
          </CardContent>
        </Card>
      </div>
    );
  }

  const { authorization } = lookup;
  const { app } = authorization;
  const owner = app.owner ? (app.owner.name ?? app.owner.email ?? "an unknown developer") : null;
  const decide = (decision: "approve" | "deny") => (
    <>
      <input type="hidden" name="user_code" value={authorization.userCode} />
      <input type="hidden" name="decision" value={decision} />
    </>
  );
  return (
    <div className="mx-auto max-w-lg py-8">
      <Card>
        <CardHeader>
          <CardTitle>
            Authorize <span data-testid="consent-app-name">{app.name}</span> on a device
          </CardTitle>
          <CardDescription>
            {owner ? `by ${owner}` : "registered itself automatically"}
            {app.homepageUrl ? (
              <>
                {" · "}
                <a href={app.homepageUrl} rel="noopener noreferrer nofollow" target="_blank" className="text-indigo-700 dark:text-indigo-300 underline">
                  {app.homepageUrl}
                </a>
              </>
            ) : null}
          </CardDescription>
        </CardHeader>
        <CardContent className="space-y-4">
          <NoticeAlert searchParams={raw} />
          {/* RFC 8628 §5.4: someone may have sent this link so that you approve THEIR device. */}
          <Alert tone="warning" data-testid="device-code-check">
            Only continue if the device in front of you shows <strong className="font-mono">{authorization.userCode}</strong> and you started this sign-in
            yourself.
          </Alert>
          {app.registration !== "manual" ? (
            <Alert tone="warning" data-testid="consent-unregistered">
              This application was not registered by anyone here: its name is its own claim. Authorize it only if you expected to connect it.
            </Alert>
          ) : null}
          {app.description ? <p className="text-sm text-gray-700 dark:text-gray-300">{app.description}</p> : null}
          <p className="text-sm">
            <strong>{app.name}</strong> wants to use Tessera&apos;s API as <strong>{viewer.email ?? viewer.name}</strong>. It will be able to:
          </p>
          <ConsentScopeList scopes={describeConsentScopes(authorization.scopes, authorization.granted)} />
          <p className="text-sm text-gray-700 dark:text-gray-300">
            It never receives your Google, Microsoft or GitHub tokens. You can revoke access at any time in Settings → Applications.
          </p>
          <div className="flex justify-end gap-2">
            <form action={decideDeviceAuthorizationAction}>
              {decide("deny")}
              <SubmitButton variant="secondary" pendingLabel="Denying…">
                Deny
              </SubmitButton>
            </form>
            <form action={decideDeviceAuthorizationAction}>
              {decide("approve")}
              <SubmitButton pendingLabel="Authorizing…">Authorize {app.name}</SubmitButton>
            </form>
          </div>
        </CardContent>
      </Card>
    </div>
  );
}
