import { obtainTokensByCodeFlow } from "@/lib/idp/testing/obtain-tokens-by-code-flow";
import { storeSignInTokens } from "@/lib/provider-tokens/store-sign-in-tokens";
import { DEMO_CLIENT_IDS } from "@/lib/providers/catalog";
import type { DemoIdp } from "@/lib/idp/start-demo-idp";
import { createUser } from "./fixtures";
import { TEST_APP_URL, TEST_IDP_SECRET } from "./demo-idp";

export type DemoProvider = "google" | "microsoft-entra-id" | "github";

/** A user signed in at the demo IdP with real tokens, stored as events.signIn stores them. */
export async function connectedUser(idp: DemoIdp, provider: DemoProvider = "google", options: { expired?: boolean } = {}) {
  const user = await createUser();
  const login = user.email!.split("@")[0]!;
  const tokens = await obtainTokensByCodeFlow({
    issuer: idp.issuer,
    clientId: DEMO_CLIENT_IDS[provider],
    clientSecret: TEST_IDP_SECRET,
    redirectUri: `${TEST_APP_URL}/api/auth/callback/${provider}`,
    login,
    scope: provider === "github" ? "read:user repo" : "openid email profile offline_access",
  });
  await storeSignInTokens(user.id, provider, {
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    idToken: tokens.id_token,
    expiresAt: options.expired ? new Date(Date.now() - 1000) : new Date(Date.now() + tokens.expires_in * 1000),
    scopes: tokens.scope?.split(" "),
    tokenType: tokens.token_type,
  });
  return { user, tokens };
}
