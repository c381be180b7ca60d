/*
 * What Tessera knows about each sign-in provider: whether it is enabled, and how to refresh and
 * revoke its tokens. "real" mode uses the credentials in the environment; "demo" mode (no real
 * provider configured) points all three at the built-in demo identity provider.
 */
export const PROVIDER_IDS = ["google", "microsoft-entra-id", "github"] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

const LABELS: Record<ProviderId, string> = { google: "Google", "microsoft-entra-id": "Microsoft", github: "GitHub" };

export const DEMO_CLIENT_IDS: Record<ProviderId, string> = {
  google: "tessera-demo-google",
  "microsoft-entra-id": "tessera-demo-microsoft",
  github: "tessera-demo-github",
};

export function isProviderId(value: unknown): value is ProviderId {
  return typeof value === "string" && (PROVIDER_IDS as readonly string[]).includes(value);
}

export function providerLabel(id: string): string {
  return isProviderId(id) ? LABELS[id] : id;
}

type Env = NodeJS.ProcessEnv;

function realCredentials(id: ProviderId, env: Env): { clientId: string; clientSecret: string; issuer?: string } | null {
  switch (id) {
    case "google":
      return env.AUTH_GOOGLE_ID && env.AUTH_GOOGLE_SECRET ? { clientId: env.AUTH_GOOGLE_ID, clientSecret: env.AUTH_GOOGLE_SECRET } : null;
    case "microsoft-entra-id":
      return env.AUTH_MICROSOFT_ENTRA_ID_ID && env.AUTH_MICROSOFT_ENTRA_ID_SECRET && env.AUTH_MICROSOFT_ENTRA_ID_ISSUER
        ? { clientId: env.AUTH_MICROSOFT_ENTRA_ID_ID, clientSecret: env.AUTH_MICROSOFT_ENTRA_ID_SECRET, issuer: env.AUTH_MICROSOFT_ENTRA_ID_ISSUER }
        : null;
    case "github":
      return env.AUTH_GITHUB_ID && env.AUTH_GITHUB_SECRET ? { clientId: env.AUTH_GITHUB_ID, clientSecret: env.AUTH_GITHUB_SECRET } : null;
  }
}

export type ProviderMode = "real" | "demo" | "none";

export function getProviderMode(env: Env = process.env): ProviderMode {
  if (PROVIDER_IDS.some((id) => realCredentials(id, env))) return "real";
  return env.DEMO_IDP_ISSUER && env.DEMO_IDP_CLIENT_SECRET ? "demo" : "none";
}

export function listEnabledProviders(env: Env = process.env): { id: ProviderId; label: string }[] {
  const mode = getProviderMode(env);
  return PROVIDER_IDS.filter((id) => mode === "demo" || (mode === "real" && realCredentials(id, env))).map((id) => ({ id, label: LABELS[id] }));
}

export type Revocation = { kind: "rfc7009"; url: string } | { kind: "github"; url: string } | { kind: "unsupported"; reason: string };

export type ProviderClient = {
  id: ProviderId;
  clientId: string;
  clientSecret: string;
  tokenUrl: string;
  clientAuth: "client_secret_basic" | "client_secret_post";
  revocation: Revocation;
  introspectionUrl?: string;
};

export const MICROSOFT_REVOCATION_REASON =
  "Microsoft Entra ID has no endpoint to revoke a single token: Tessera deleted its copies, the access token expires on its own within about an hour, and you can remove Tessera's access at myapps.microsoft.com (an Entra ID admin can also revoke all sessions).";

/** Demo IdP endpoints: oidc-provider's defaults under the issuer. */
export function demoEndpoints(issuer: string) {
  const base = issuer.replace(/\/$/, "");
  return {
    authorization: `${base}/auth`,
    token: `${base}/token`,
    revocation: `${base}/token/revocation`,
    introspection: `${base}/token/introspection`,
    githubUser: `${base}/github/user`,
  };
}

/** Credentials and endpoints to refresh or revoke a provider's tokens, or null when it is not enabled. */
export function getProviderClient(id: string, env: Env = process.env): ProviderClient | null {
  if (!isProviderId(id)) return null;
  const mode = getProviderMode(env);
  if (mode === "demo") {
    const endpoints = demoEndpoints(env.DEMO_IDP_ISSUER!);
    return {
      id,
      clientId: DEMO_CLIENT_IDS[id],
      clientSecret: env.DEMO_IDP_CLIENT_SECRET!,
      tokenUrl: endpoints.token,
      clientAuth: "client_secret_basic",
      revocation: { kind: "rfc7009", url: endpoints.revocation },
      introspectionUrl: endpoints.introspection,
    };
  }
  const credentials = mode === "real" ? realCredentials(id, env) : null;
  if (!credentials) return null;
  switch (id) {
    case "google":
      return { id, ...credentials, tokenUrl: "https://oauth2.googleapis.com/token", clientAuth: "client_secret_post", revocation: { kind: "rfc7009", url: "https://oauth2.googleapis.com/revoke" } };
    case "microsoft-entra-id":
      return {
        id,
        clientId: credentials.clientId,
        clientSecret: credentials.clientSecret,
        tokenUrl: credentials.issuer!.replace(/\/v2\.0\/?$/, "") + "/oauth2/v2.0/token",
        clientAuth: "client_secret_post",
        revocation: { kind: "unsupported", reason: MICROSOFT_REVOCATION_REASON },
      };
    case "github":
      return {
        id,
        ...credentials,
        tokenUrl: "https://github.com/login/oauth/access_token",
        clientAuth: "client_secret_post",
        revocation: { kind: "github", url: `https://api.github.com/applications/${encodeURIComponent(credentials.clientId)}/token` },
      };
  }
}
