import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { NoticeAlert } from "@/components/layout/notice-alert";
import { Alert } from "@/components/ui/alert";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { SubmitButton } from "@/components/ui/submit-button";
import { authErrorNotice } from "@/lib/actions/notices";
import { safeCallbackPath } from "@/lib/api/safe-callback-path";
import { listLinkedProviders } from "@/lib/auth/list-linked-providers";
import { RECENT_SIGN_IN_MINUTES } from "@/lib/auth/require-recent-sign-in";
import { getViewer } from "@/lib/auth/viewer";
import { getProviderMode, listEnabledProviders } from "@/lib/providers/catalog";
import { signInAction } from "./actions";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackPath(params.callbackUrl);
  const viewer = await getViewer();
  // Sudo mode's "Confirm it's you" (lib/auth/require-recent-sign-in.ts): a signed-in person signs in again with a
  // provider they already use, and comes back to the page they were on. Anyone else signed in goes straight back.
  const reauth = params.reauth === "1" && viewer !== null;
  if (viewer && !reauth) redirect(callbackUrl);
  const enabled = listEnabledProviders();
  const linked = reauth ? await listLinkedProviders(viewer.id) : [];
  const providers = reauth && enabled.some((p) => linked.includes(p.id)) ? enabled.filter((p) => linked.includes(p.id)) : enabled;

  return (
    <div className="mx-auto max-w-md py-8">
      <Card>
        <CardHeader>
          <CardTitle>{reauth ? "Confirm it's you" : "Sign in to Tessera"}</CardTitle>
          <CardDescription>
            {reauth
              ? `Creating a credential or ending someone's access needs a sign-in within the last ${RECENT_SIGN_IN_MINUTES} minutes, so that someone at an unlocked computer cannot mint a lasting key. Sign in again with your provider; you come back to the page you were on.`
              : getProviderMode() === "demo"
                ? "Choose a provider. This server uses the built-in demo identity provider: any username works (try alice, bob or admin; mallory has an unverified address and is refused)."
                : "Choose the account you use at work. Tessera keeps the provider's tokens encrypted so your jobs can use them."}
          </CardDescription>
        </CardHeader>
        <CardContent className="space-y-3">
          <NoticeAlert searchParams={params} fallback={typeof params.error === "string" ? authErrorNotice(params.error) : null} />
          {providers.length === 0 ? (
            <Alert tone="warning">No sign-in provider is configured. Set AUTH_GOOGLE_ID/SECRET, AUTH_MICROSOFT_ENTRA_ID_* or AUTH_GITHUB_ID/SECRET.</Alert>
          ) : (
            providers.map((provider) => (
              <form key={provider.id} action={signInAction}>
                <input type="hidden" name="provider" value={provider.id} />
                <input type="hidden" name="callbackUrl" value={callbackUrl} />
                <SubmitButton className="w-full" variant="secondary">
                  Continue with {provider.label}
                </SubmitButton>
              </form>
            ))
          )}
        </CardContent>
      </Card>
    </div>
  );
}
