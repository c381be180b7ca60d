import type { Provider } from "next-auth/providers";
import GitHub from "next-auth/providers/github";
import Google from "next-auth/providers/google";
import MicrosoftEntraID from "next-auth/providers/microsoft-entra-id";
import { DEMO_CLIENT_IDS, getDemoIdpEndpoints, getProviderMode, readDemoIdp, readRealCredentials } from "@/lib/providers/catalog";

type Env = Readonly<Record<string, string | undefined>>;

// Real providers: only what sign-in and a refresh token need.
const GOOGLE_SCOPES = "openid email profile";
const MICROSOFT_SCOPES = "openid profile email offline_access User.Read";
// Demo: the same plus one API-looking scope each, so stored grants look like real ones.
const DEMO_GOOGLE_SCOPES = "openid email profile https://www.googleapis.com/auth/calendar.readonly";
const DEMO_MICROSOFT_SCOPES = "openid profile email offline_access User.Read Mail.Read";
const DEMO_GITHUB_SCOPES = "read:user user:email repo";

type EntraIdTokenClaims = { sub: string; name?: string; email?: string; preferred_username?: string };

// Entra's built-in profile() fetches a Graph photo with no error handling (a Graph outage fails the
// sign-in); the id_token already has what Tessera needs.
function readEntraProfile(profile: EntraIdTokenClaims) {
  return { id: profile.sub, name: profile.name ?? null, email: profile.email ?? profile.preferred_username ?? null, image: null };
}

/**
 * Auth.js providers: each real provider whose credentials are in the environment, or, when none is
 * configured, the same three provider ids pointed at the demo identity provider.
 */
export function buildAuthProviders(env: Env = process.env): Provider[] {
  const mode = getProviderMode(env);
  if (mode === "demo") return buildDemoProviders(env);
  if (mode === "none") return [];

  const providers: Provider[] = [];
  const google = readRealCredentials("google", env);
  if (google) {
    providers.push(
      Google({
        clientId: google.clientId,
        clientSecret: google.clientSecret,
        // Google returns a refresh token only with offline access, and reliably only with consent.
        authorization: { params: { access_type: "offline", prompt: "consent", scope: GOOGLE_SCOPES } },
      }),
    );
  }
  const entra = readRealCredentials("microsoft-entra-id", env);
  if (entra) {
    providers.push(
      MicrosoftEntraID({
        clientId: entra.clientId,
        clientSecret: entra.clientSecret,
        issuer: entra.issuer,
        authorization: { params: { scope: MICROSOFT_SCOPES } },
        profile: readEntraProfile,
      }),
    );
  }
  const github = readRealCredentials("github", env);
  if (github) providers.push(GitHub({ clientId: github.clientId, clientSecret: github.clientSecret }));
  return providers;
}

function buildDemoProviders(env: Env): Provider[] {
  const demo = readDemoIdp(env)!;
  const { issuer, clientSecret } = demo;
  const endpoints = getDemoIdpEndpoints(issuer);
  // Demo users have the same address at all three "providers", so alice can link all three to one
  // Tessera account. Never for real providers: there an address at one provider proves nothing about
  // who owns the Tessera account with that address.
  const linking = { allowDangerousEmailAccountLinking: true };
  return [
    // Google and Entra are OpenID Connect: the issuer override is enough, Auth.js reads the rest from
    // discovery (plain http is allowed there). The demo IdP never puts `tid` in id_tokens, which would
    // make Auth.js re-run Entra discovery without allowing http.
    Google({
      clientId: DEMO_CLIENT_IDS.google,
      clientSecret,
      issuer,
      authorization: { params: { access_type: "offline", prompt: "consent", scope: DEMO_GOOGLE_SCOPES } },
      ...linking,
    }),
    MicrosoftEntraID({
      clientId: DEMO_CLIENT_IDS["microsoft-entra-id"],
      clientSecret,
      issuer,
      authorization: { params: { scope: DEMO_MICROSOFT_SCOPES } },
      profile: readEntraProfile,
      ...linking,
    }),
    // GitHub is plain OAuth 2.0: no discovery, every endpoint is named. `issuer` must equal the `iss`
    // the demo IdP adds to its authorization responses (RFC 9207), or Auth.js rejects the callback.
    GitHub({
      clientId: DEMO_CLIENT_IDS.github,
      clientSecret,
      issuer,
      authorization: { url: endpoints.authorization, params: { scope: DEMO_GITHUB_SCOPES } },
      token: endpoints.token,
      userinfo: { url: endpoints.githubUser },
      ...linking,
    }),
  ];
}
