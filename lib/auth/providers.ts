import type { Provider } from "next-auth/providers";
import GitHub from "next-auth/providers/github";
import Google from "next-auth/providers/google";
import MicrosoftEntraID from "next-auth/providers/microsoft-entra-id";
import { DEMO_CLIENT_IDS, demoEndpoints, getProviderMode } from "@/lib/providers/catalog";

const GOOGLE_SCOPES = "openid email profile https://www.googleapis.com/auth/calendar.readonly";
const MICROSOFT_SCOPES = "openid profile email offline_access User.Read Mail.Read";
const GITHUB_SCOPES = "read:user user:email repo";

// Entra's built-in profile() fetches a Graph photo with no error handling; the id_token has what we need.
const entraProfile = (profile: { sub: string; name?: string; email?: string; preferred_username?: string }) => ({
  id: profile.sub,
  name: profile.name ?? null,
  email: profile.email ?? profile.preferred_username ?? null,
  image: null,
});

/**
 * Auth.js providers: each real provider whose credentials are in the environment, or — when none
 * is configured — the same three provider ids pointed at the demo identity provider.
 */
export function buildAuthProviders(env: NodeJS.ProcessEnv = process.env): Provider[] {
  const mode = getProviderMode(env);
  if (mode === "demo") return demoProviders(env.DEMO_IDP_ISSUER!, env.DEMO_IDP_CLIENT_SECRET!);
  if (mode === "none") return [];
  const providers: Provider[] = [];
  if (env.AUTH_GOOGLE_ID && env.AUTH_GOOGLE_SECRET) {
    providers.push(
      Google({
        clientId: env.AUTH_GOOGLE_ID,
        clientSecret: env.AUTH_GOOGLE_SECRET,
        // offline + consent: Google returns a refresh token only then.
        authorization: { params: { scope: GOOGLE_SCOPES, access_type: "offline", prompt: "consent" } },
      }),
    );
  }
  if (env.AUTH_MICROSOFT_ENTRA_ID_ID && env.AUTH_MICROSOFT_ENTRA_ID_SECRET && env.AUTH_MICROSOFT_ENTRA_ID_ISSUER) {
    providers.push(
      MicrosoftEntraID({
        clientId: env.AUTH_MICROSOFT_ENTRA_ID_ID,
        clientSecret: env.AUTH_MICROSOFT_ENTRA_ID_SECRET,
        issuer: env.AUTH_MICROSOFT_ENTRA_ID_ISSUER,
        authorization: { params: { scope: MICROSOFT_SCOPES } },
        profile: entraProfile,
      }),
    );
  }
  if (env.AUTH_GITHUB_ID && env.AUTH_GITHUB_SECRET) {
    providers.push(GitHub({ clientId: env.AUTH_GITHUB_ID, clientSecret: env.AUTH_GITHUB_SECRET, authorization: { params: { scope: GITHUB_SCOPES } } }));
  }
  return providers;
}

function demoProviders(issuer: string, clientSecret: string): Provider[] {
  const endpoints = demoEndpoints(issuer);
  // The demo users have the same address at all three "providers", so alice can link all three to
  // one Tessera account. Never enabled for real providers, where an address proves nothing.
  const linking = { allowDangerousEmailAccountLinking: true };
  return [
    Google({
      clientId: DEMO_CLIENT_IDS.google,
      clientSecret,
      issuer,
      authorization: { params: { scope: GOOGLE_SCOPES, access_type: "offline", prompt: "consent" } },
      ...linking,
    }),
    MicrosoftEntraID({
      clientId: DEMO_CLIENT_IDS["microsoft-entra-id"],
      clientSecret,
      issuer,
      authorization: { params: { scope: MICROSOFT_SCOPES } },
      profile: entraProfile,
      ...linking,
    }),
    GitHub({
      clientId: DEMO_CLIENT_IDS.github,
      clientSecret,
      // GitHub is plain OAuth 2.0: no discovery, so every endpoint is named. `issuer` must equal the
      // `iss` the demo server puts in its authorization response (RFC 9207).
      issuer,
      authorization: { url: endpoints.authorization, params: { scope: GITHUB_SCOPES } },
      token: endpoints.token,
      userinfo: { url: endpoints.githubUser },
      ...linking,
    }),
  ];
}
