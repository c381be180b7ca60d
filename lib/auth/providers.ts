import type { Provider } from "next-auth/providers";
import GitHub from "next-auth/providers/github";
import Google from "next-auth/providers/google";
import MicrosoftEntraID from "next-auth/providers/microsoft-entra-id";
import { DEMO_CLIENT_IDS, getDemoIdpEndpoints, getProviderMode, readDemoIdp, readRealCredentials } from "@/lib/providers/catalog";
import { readVerifiedEmail } from "./read-verified-email";

type Env = Readonly<Record<string, string | undefined>>;

// Real providers: only what sign-in and a refresh token need.
const GOOGLE_SCOPES = "openid email profile";
const MICROSOFT_SCOPES = "openid profile email offline_access User.Read";
// Demo: the same plus one API-looking scope each, so stored grants look like real ones.
const DEMO_GOOGLE_SCOPES = "openid email profile https://www.googleapis.com/auth/calendar.readonly";
const DEMO_MICROSOFT_SCOPES = "openid profile email offline_access User.Read Mail.Read";
const DEMO_GITHUB_SCOPES = "read:user user:email repo";

type OidcClaims = { sub: string; name?: string; email?: string; email_verified?: boolean; picture?: string; tid?: string; preferred_username?: string };
type GithubProfile = { id: number; login: string; name?: string | null; email?: string | null; email_verified?: boolean; avatar_url?: string };
type GithubEmail = { email: string; primary: boolean; verified: boolean };

const GITHUB_API = "https://api.github.com";

// Every profile() keeps only a verified address (read-verified-email.ts); callbacks.signIn refuses an unverified one.
function readOidcProfile(provider: "google" | "microsoft-entra-id", env: Env) {
  return (claims: OidcClaims) => {
    const verification = readVerifiedEmail(provider, claims, env);
    return {
      id: claims.sub,
      name: claims.name ?? null,
      email: verification.status === "verified" ? verification.email : null,
      // Entra's built-in profile() fetches a Graph photo with no error handling (a Graph outage fails the sign-in).
      image: provider === "google" ? (claims.picture ?? null) : null,
    };
  };
}

function readGithubProfile(env: Env) {
  return (profile: GithubProfile) => {
    const verification = readVerifiedEmail("github", profile, env);
    return {
      id: String(profile.id),
      name: profile.name ?? profile.login,
      email: verification.status === "verified" ? verification.email : null,
      image: profile.avatar_url ?? null,
    };
  };
}

/**
 * GitHub's userinfo: `/user`, then the address from `/user/emails` (the public `email` of `/user` is
 * replaced): the primary one, with its `verified` flag as `email_verified`. No list (e.g. a GitHub App
 * without the email permission) means no address.
 */
function githubUserinfo(userUrl: string, emailsUrl: string) {
  return {
    url: userUrl,
    async request({ tokens }: { tokens: { access_token?: string } }) {
      const headers = { Authorization: `Bearer ${tokens.access_token}`, "User-Agent": "tessera", Accept: "application/vnd.github+json" };
      const signal = AbortSignal.timeout(10_000);
      const userResponse = await fetch(userUrl, { headers, signal });
      if (!userResponse.ok) throw new Error(`GitHub user endpoint answered ${userResponse.status}`);
      const profile = (await userResponse.json()) as GithubProfile;
      const emailsResponse = await fetch(emailsUrl, { headers, signal });
      const emails = emailsResponse.ok ? ((await emailsResponse.json()) as GithubEmail[]) : [];
      const primary = Array.isArray(emails) ? emails.find((entry) => entry.primary) : undefined;
      return { ...profile, email: primary?.email ?? null, email_verified: primary?.verified === true };
    },
  };
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
        profile: readOidcProfile("google", env),
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
        profile: readOidcProfile("microsoft-entra-id", env),
      }),
    );
  }
  const github = readRealCredentials("github", env);
  if (github) {
    providers.push(
      GitHub({
        clientId: github.clientId,
        clientSecret: github.clientSecret,
        userinfo: githubUserinfo(`${GITHUB_API}/user`, `${GITHUB_API}/user/emails`),
        profile: readGithubProfile(env),
      }),
    );
  }
  return providers;
}

function buildDemoProviders(env: Env): Provider[] {
  const demo = readDemoIdp(env)!;
  const { issuer, clientSecret } = demo;
  const endpoints = getDemoIdpEndpoints(issuer);
  // Demo users have the same address at all three "providers", so alice can link all three to one
  // Tessera account (only verified addresses: callbacks.signIn refuses the others before any linking). Never for real providers: there an address at one provider proves nothing about
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
      profile: readOidcProfile("google", env),
      ...linking,
    }),
    MicrosoftEntraID({
      clientId: DEMO_CLIENT_IDS["microsoft-entra-id"],
      clientSecret,
      issuer,
      authorization: { params: { scope: DEMO_MICROSOFT_SCOPES } },
      profile: readOidcProfile("microsoft-entra-id", env),
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
      userinfo: githubUserinfo(endpoints.githubUser, endpoints.githubUserEmails),
      profile: readGithubProfile(env),
      ...linking,
    }),
  ];
}
