import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Alert } from "@/components/ui/alert";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { SubmitButton } from "@/components/ui/submit-button";
import { safeCallbackPath } from "@/lib/api/safe-callback-path";
import { getViewer } from "@/lib/auth/viewer";
import { EMAIL_NOT_VERIFIED_ERROR } from "@/lib/auth/check-sign-in";
import { getProviderMode, isProviderId, listEnabledProviders, providerLabel } from "@/lib/providers/catalog";
import { signInAction } from "./actions";

export const metadata: Metadata = { title: "Sign in" };

const ERRORS: Record<string, string> = {
  OAuthAccountNotLinked: "That account is linked to a different Tessera user. Sign in with the provider you used before.",
  AccessDenied: "Sign-in was cancelled or refused.",
  Configuration: "Sign-in is not configured correctly on this server. An administrator should check the logs.",
};

function describeError(code: string, provider: unknown): string {
  if (code === EMAIL_NOT_VERIFIED_ERROR) {
    const label = isProviderId(provider) ? providerLabel(provider) : "The provider";
    return (
      `Sign-in refused: ${label} did not confirm that your email address is verified, so Tessera cannot use it to identify you. ` +
      "No Tessera account was created or linked. Verify the address with the provider (for GitHub: make a verified address your primary one; " +
      "for Microsoft: use an account of your organisation) and try again."
    );
  }
  return ERRORS[code] ?? "Sign-in failed. Please try again.";
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackPath(params.callbackUrl);
  if (await getViewer()) redirect(callbackUrl);
  const providers = listEnabledProviders();
  const error = typeof params.error === "string" ? describeError(params.error, params.provider) : null;

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
          {error ? <Alert tone="error">{error}</Alert> : null}
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
