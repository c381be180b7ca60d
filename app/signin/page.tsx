import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { NoticeAlert } from "@/components/layout/notice-alert";
import { Alert } from "@/components/ui/alert";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { SubmitButton } from "@/components/ui/submit-button";
import { authErrorNotice } from "@/lib/actions/notices";
import { safeCallbackPath } from "@/lib/api/safe-callback-path";
import { getViewer } from "@/lib/auth/viewer";
import { getProviderMode, listEnabledProviders } from "@/lib/providers/catalog";
import { signInAction } from "./actions";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackPath(params.callbackUrl);
  if (await getViewer()) redirect(callbackUrl);
  const providers = listEnabledProviders();

  return (
    <div className="mx-auto max-w-md py-8">
      <Card>
        <CardHeader>
          <CardTitle>Sign in to Tessera</CardTitle>
          <CardDescription>
            {getProviderMode() === "demo"
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
