import { credentialVariables, readCatalogue, readShippedCatalogue } from "./load-catalogue";
import { DEMO_CONNECT_PROVIDER_IDS, demoConnectClientId, getDemoConnectEndpoints } from "./demo-connect";
import type { CatalogueRevocation, ProviderEntry } from "./provider-entry";

export { CatalogueError, credentialVariables, OPERATOR_CATALOGUE_VARIABLE } from "./load-catalogue";
export type { ProviderEntry } from "./provider-entry";

/*
 * What Tessera knows about each provider: whether it is enabled, and how to refresh and revoke its
 * tokens. The facts (endpoints, labels, API bases) are data, in lib/providers/catalog.json plus the
 * operator's TESSERA_PROVIDERS_FILE; this file is the interface the rest of Tessera reads them through.
 * "real" mode uses the credentials in the environment; "demo" mode (no real provider configured)
 * points the three sign-in providers at the built-in demo identity provider.
 *
 * The three sign-in providers stay a compile-time union (ProviderId): Auth.js, the demo IdP, service
 * permissions and the API reference switch on them, and the compiler checks each switch is complete.
 * Connect-only providers are runtime data (listCatalogue), with no type of their own.
 */
export const PROVIDER_IDS = ["google", "microsoft-entra-id", "github"] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

/** The shipped entry of a sign-in provider (the catalogue's tests check all three are there). */
function signInEntry(id: ProviderId): ProviderEntry {
  const entry = readShippedCatalogue().find((candidate) => candidate.id === id && candidate.use === "sign-in");
  if (!entry) throw new Error(`lib/providers/catalog.json has no sign-in entry "${id}"`);
  return entry;
}

function bySignInId<T>(pick: (entry: ProviderEntry) => T): Readonly<Record<ProviderId, T>> {
  return Object.fromEntries(PROVIDER_IDS.map((id) => [id, pick(signInEntry(id))])) as Record<ProviderId, T>;
}

export const PROVIDER_LABELS: Readonly<Record<ProviderId, string>> = bySignInId((entry) => entry.displayName);

/** The demo IdP's client ids, one per simulated provider. */
export const DEMO_CLIENT_IDS: Readonly<Record<ProviderId, string>> = {
  google: "tessera-demo-google",
  "microsoft-entra-id": "tessera-demo-microsoft",
  github: "tessera-demo-github",
};

const entraRevocation = signInEntry("microsoft-entra-id").revocation;
export const MICROSOFT_REVOCATION_REASON = entraRevocation.kind === "unsupported" ? entraRevocation.reason : "";

// Used when AUTH_MICROSOFT_ENTRA_ID_ISSUER is unset, as Auth.js's MicrosoftEntraID does.
const ENTRA_COMMON_ISSUER = "https://login.microsoftonline.com/common/v2.0";

export type ProviderMode = "real" | "demo" | "none";

export type Revocation =
  { kind: "rfc7009"; url: string } | { kind: "github"; url: string } | { kind: "bearer"; url: string } | { kind: "unsupported"; reason: string };

export type ProviderClient = {
  /** A catalogue id: one of the three sign-in providers or a connect-only entry. */
  id: string;
  clientId: string;
  clientSecret: string;
  tokenUrl: string;
  clientAuth: "client_secret_basic" | "client_secret_post";
  revocation: Revocation;
  introspectionUrl?: string;
};

type Env = Readonly<Record<string, string | undefined>>;

type RealCredentials = { clientId: string; clientSecret: string; issuer?: string };

/** A provider is configured wrongly in the environment (e.g. an issuer Tessera cannot derive endpoints from). */
export class ProviderConfigError extends Error {
  readonly code = "invalid_provider_config";

  constructor(message: string) {
    super(message);
    this.name = "ProviderConfigError";
  }
}

export function isProviderId(value: unknown): value is ProviderId {
  return typeof value === "string" && (PROVIDER_IDS as readonly string[]).includes(value);
}

/** "Google", "Microsoft", "GitHub", "Slack"…: the catalogue's display name; unknown ids come back unchanged. */
export function providerLabel(id: string): string {
  if (isProviderId(id)) return PROVIDER_LABELS[id];
  return findCatalogueEntry(id)?.displayName ?? id;
}

/** Any catalogue id: a sign-in provider or a connect-only entry (shipped or the operator's). */
export function isCatalogueProvider(value: unknown): value is string {
  return typeof value === "string" && findCatalogueEntry(value) !== null;
}

/** The catalogue entry with this id (shipped or the operator's), or null. A broken operator file counts as absent here. */
export function findCatalogueEntry(id: string, env: Env = process.env): ProviderEntry | null {
  let entries: ProviderEntry[];
  try {
    entries = readCatalogue(env);
  } catch {
    // npm start refuses a broken catalogue (checkProviderSetup); a caller asking for a label gets the id instead of a throw.
    entries = readShippedCatalogue();
  }
  return entries.find((entry) => entry.id === id) ?? null;
}

/** The real provider's credentials from the environment, or null when that provider is not configured. */
export function readRealCredentials(id: ProviderId, env: Env = process.env): RealCredentials | null {
  switch (id) {
    case "google":
      return env.AUTH_GOOGLE_ID && env.AUTH_GOOGLE_SECRET ? { clientId: env.AUTH_GOOGLE_ID, clientSecret: env.AUTH_GOOGLE_SECRET } : null;
    case "microsoft-entra-id":
      return env.AUTH_MICROSOFT_ENTRA_ID_ID && env.AUTH_MICROSOFT_ENTRA_ID_SECRET
        ? {
            clientId: env.AUTH_MICROSOFT_ENTRA_ID_ID,
            clientSecret: env.AUTH_MICROSOFT_ENTRA_ID_SECRET,
            issuer: env.AUTH_MICROSOFT_ENTRA_ID_ISSUER || ENTRA_COMMON_ISSUER,
          }
        : null;
    case "github":
      return env.AUTH_GITHUB_ID && env.AUTH_GITHUB_SECRET ? { clientId: env.AUTH_GITHUB_ID, clientSecret: env.AUTH_GITHUB_SECRET } : null;
  }
}

/** Every variable that configures a real provider; any of them set means "this deployment wants real providers". */
export const REAL_PROVIDER_VARIABLES = [
  "AUTH_GOOGLE_ID",
  "AUTH_GOOGLE_SECRET",
  "AUTH_MICROSOFT_ENTRA_ID_ID",
  "AUTH_MICROSOFT_ENTRA_ID_SECRET",
  "AUTH_MICROSOFT_ENTRA_ID_ISSUER",
  "AUTH_MICROSOFT_ENTRA_ID_TENANTS",
  "AUTH_GITHUB_ID",
  "AUTH_GITHUB_SECRET",
] as const;

/**
 * "real" as soon as one real provider has credentials; "demo" when the demo IdP is configured and no real
 * provider variable is set at all (incomplete real credentials never fall back to the demo IdP silently:
 * `npm start` refuses them, naming the variable); else "none".
 */
export function getProviderMode(env: Env = process.env): ProviderMode {
  if (PROVIDER_IDS.some((id) => readRealCredentials(id, env))) return "real";
  if (REAL_PROVIDER_VARIABLES.some((name) => env[name])) return "none";
  return readDemoIdp(env) ? "demo" : "none";
}

export function listEnabledProviders(env: Env = process.env): { id: ProviderId; label: string }[] {
  const mode = getProviderMode(env);
  return PROVIDER_IDS.filter((id) => mode === "demo" || (mode === "real" && readRealCredentials(id, env))).map((id) => ({ id, label: PROVIDER_LABELS[id] }));
}

/** The demo IdP's issuer (no trailing slash) and shared client secret, or null when not configured. */
export function readDemoIdp(env: Env = process.env): { issuer: string; clientSecret: string } | null {
  const issuer = env.DEMO_IDP_ISSUER?.trim().replace(/\/+$/, "");
  const clientSecret = env.DEMO_IDP_CLIENT_SECRET;
  return issuer && clientSecret ? { issuer, clientSecret } : null;
}

/** The demo IdP's endpoints: oidc-provider 9's default routes under the issuer (as its discovery document lists them). */
export function getDemoIdpEndpoints(issuer: string) {
  const base = issuer.replace(/\/+$/, "");
  return {
    authorization: `${base}/auth`,
    token: `${base}/token`,
    revocation: `${base}/token/revocation`,
    introspection: `${base}/token/introspection`,
    userinfo: `${base}/me`,
    githubUser: `${base}/github/user`,
    githubUserEmails: `${base}/github/user/emails`,
    githubGrant: (clientId: string) => `${base}/applications/${encodeURIComponent(clientId)}/grant`,
  };
}

/**
 * `https://login.microsoftonline.com/<tenant>/v2.0` → `https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token`
 * (the host is kept, so national clouds work too).
 */
export function deriveEntraTokenUrl(issuer: string): string {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new ProviderConfigError("AUTH_MICROSOFT_ENTRA_ID_ISSUER is not a URL");
  }
  const tenant = /^\/([^/]+)\/v2\.0\/?$/.exec(url.pathname)?.[1];
  if (url.protocol !== "https:" || !tenant) {
    throw new ProviderConfigError("AUTH_MICROSOFT_ENTRA_ID_ISSUER must look like https://login.microsoftonline.com/<tenant>/v2.0");
  }
  return `${url.origin}/${tenant}/oauth2/v2.0/token`;
}

/** The catalogue's revocation for a sign-in provider, with `{client_id}` filled in. */
function toRevocation(revocation: CatalogueRevocation, clientId: string): Revocation {
  switch (revocation.kind) {
    case "rfc7009":
      return { kind: "rfc7009", url: revocation.url };
    case "github":
      return { kind: "github", url: revocation.url.replace("{client_id}", encodeURIComponent(clientId)) };
    case "unsupported":
      return revocation;
    case "bearer":
      return { kind: "bearer", url: revocation.url };
  }
}

/** Credentials and endpoints to refresh or revoke a provider's tokens, or null when it is not enabled. */
export function getProviderClient(id: string, env: Env = process.env): ProviderClient | null {
  if (!isProviderId(id)) {
    const connect = getConnectProvider(id, env);
    if (!connect || connect.entry.use !== "connect") return null;
    const { entry, clientId, clientSecret } = connect;
    return { id, clientId, clientSecret, tokenUrl: entry.tokenUrl, clientAuth: entry.clientAuth, revocation: toRevocation(entry.revocation, clientId) };
  }
  const mode = getProviderMode(env);
  const demo = readDemoIdp(env);
  if (mode === "demo" && demo) {
    const endpoints = getDemoIdpEndpoints(demo.issuer);
    return {
      id,
      clientId: DEMO_CLIENT_IDS[id],
      clientSecret: demo.clientSecret,
      tokenUrl: endpoints.token,
      clientAuth: "client_secret_basic",
      // The demo GitHub revokes like GitHub: the whole grant through the applications API.
      revocation: id === "github" ? { kind: "github", url: endpoints.githubGrant(DEMO_CLIENT_IDS.github) } : { kind: "rfc7009", url: endpoints.revocation },
      introspectionUrl: endpoints.introspection,
    };
  }
  const credentials = mode === "real" ? readRealCredentials(id, env) : null;
  if (!credentials) return null;
  const { clientId, clientSecret } = credentials;
  const entry = signInEntry(id);
  return {
    id,
    clientId,
    clientSecret,
    // Entra's tenant is the operator's (AUTH_MICROSOFT_ENTRA_ID_ISSUER); the catalogue holds the "common" one.
    // GitHub answers form-encoded unless the request says Accept: application/json (provider-http.ts does).
    tokenUrl: id === "microsoft-entra-id" ? deriveEntraTokenUrl(credentials.issuer ?? ENTRA_COMMON_ISSUER) : entry.tokenUrl,
    clientAuth: entry.clientAuth,
    // Google: revoking the refresh token ends the grant. GitHub: the grant, which also ends a GitHub App's refresh token.
    revocation: toRevocation(entry.revocation, clientId),
  };
}

/** Where each provider's REST API lives: the only hosts the provider API proxy forwards to. */
export const PROVIDER_API_BASES: Readonly<Record<ProviderId, string>> = bySignInId((entry) => entry.apiBaseUrl);

/**
 * The API base the proxy forwards `provider`'s calls to (no trailing slash), or null when that provider
 * is not enabled here. In demo mode: the demo IdP's small demo API at `<issuer>/demo-api/<provider>`.
 */
export function getProviderApiBase(id: string, env: Env = process.env): string | null {
  if (!isProviderId(id)) return getConnectProvider(id, env)?.entry.apiBaseUrl ?? null;
  const mode = getProviderMode(env);
  const demo = readDemoIdp(env);
  if (mode === "demo" && demo) return `${demo.issuer}/demo-api/${id}`;
  return mode === "real" && readRealCredentials(id, env) ? PROVIDER_API_BASES[id] : null;
}

/**
 * A provider as this deployment runs Tessera's own connect flow against it (issue 23 §2): its catalogue entry
 * with the endpoints to use (the demo IdP's in demo mode), and the client credentials. Null when not enabled.
 * Connect-only entries are enabled by TESSERA_PROVIDER_<ID>_ID / _SECRET, or in demo mode when the demo IdP
 * plays them (lib/providers/demo-connect.ts); real credentials win over the demo. Sign-in providers use the
 * same client Auth.js signs in with (their redirect URI list needs <base>/connect/callback too).
 */
export type ConnectProvider = { entry: ProviderEntry; clientId: string; clientSecret: string; demo: boolean };

export function getConnectProvider(id: string, env: Env = process.env): ConnectProvider | null {
  const entry = findCatalogueEntry(id, env);
  if (!entry) return null;
  const demo = readDemoIdp(env);
  const mode = getProviderMode(env);
  if (entry.use === "sign-in") {
    if (!isProviderId(entry.id)) return null;
    if (mode === "demo" && demo) {
      const endpoints = getDemoIdpEndpoints(demo.issuer);
      const github = entry.id === "github";
      return {
        entry: {
          ...entry,
          issuer: github ? undefined : demo.issuer,
          authorizationUrl: endpoints.authorization,
          tokenUrl: endpoints.token,
          userinfoUrl: github ? endpoints.githubUser : endpoints.userinfo,
          revocation: github ? { kind: "github", url: endpoints.githubGrant(DEMO_CLIENT_IDS.github) } : { kind: "rfc7009", url: endpoints.revocation },
          apiBaseUrl: `${demo.issuer}/demo-api/${entry.id}`,
          clientAuth: "client_secret_basic",
        },
        clientId: DEMO_CLIENT_IDS[entry.id],
        clientSecret: demo.clientSecret,
        demo: true,
      };
    }
    const credentials = mode === "real" ? readRealCredentials(entry.id, env) : null;
    if (!credentials) return null;
    if (entry.id !== "microsoft-entra-id") return { entry, clientId: credentials.clientId, clientSecret: credentials.clientSecret, demo: false };
    const issuer = credentials.issuer ?? ENTRA_COMMON_ISSUER;
    const tenantBase = deriveEntraTokenUrl(issuer).replace(/\/token$/, "");
    return {
      entry: { ...entry, issuer, authorizationUrl: `${tenantBase}/authorize`, tokenUrl: `${tenantBase}/token` },
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
      demo: false,
    };
  }
  const variables = credentialVariables(entry);
  const clientId = env[variables.id];
  const clientSecret = env[variables.secret];
  if (clientId && clientSecret) return { entry, clientId, clientSecret, demo: false };
  if (!demo || mode !== "demo" || !(DEMO_CONNECT_PROVIDER_IDS as readonly string[]).includes(entry.id)) return null;
  const endpoints = getDemoConnectEndpoints(demo.issuer, entry.id);
  const revocation: CatalogueRevocation =
    entry.revocation.kind === "unsupported" ? entry.revocation : { kind: entry.revocation.kind, url: endpoints.revocation };
  return {
    entry: {
      ...entry,
      authorizationUrl: endpoints.authorization,
      tokenUrl: endpoints.token,
      userinfoUrl: entry.userinfoUrl ? endpoints.userinfo : undefined,
      revocation,
      apiBaseUrl: endpoints.apiBase,
    },
    clientId: demoConnectClientId(entry.id),
    clientSecret: demo.clientSecret,
    demo: true,
  };
}

/** Every provider a person can connect here (sign-in ones included), in catalogue order. */
export function listConnectableProviders(env: Env = process.env): ConnectProvider[] {
  return readCatalogue(env)
    .map((entry) => getConnectProvider(entry.id, env))
    .filter((provider): provider is ConnectProvider => provider !== null);
}

export type CatalogueListing = {
  id: string;
  displayName: string;
  use: ProviderEntry["use"];
  /** Where the entry came from: shipped in lib/providers/catalog.json, or the operator's file. */
  source: "shipped" | "operator";
  /** The variables that enable it (Auth.js's names for the sign-in three). */
  variables: { id: string; secret: string };
  /** Both variables set. Sign-in providers also follow the demo / real mode of listEnabledProviders. */
  enabled: boolean;
  entry: ProviderEntry;
};

/**
 * Every provider of the catalogue, shipped then operator's, and whether this environment enables it.
 * Connect-only providers are enabled by their variables or, in demo mode, by the demo IdP. Throws a CatalogueError
 * for a broken entry (npm start reports it through checkProviderSetup).
 */
export function listCatalogue(env: Env = process.env): CatalogueListing[] {
  const shippedIds = new Set(readShippedCatalogue().map((entry) => entry.id));
  const enabledSignIn = new Set(listEnabledProviders(env).map((provider) => provider.id as string));
  return readCatalogue(env).map((entry) => {
    const variables = credentialVariables(entry);
    return {
      id: entry.id,
      displayName: entry.displayName,
      use: entry.use,
      source: shippedIds.has(entry.id) ? "shipped" : "operator",
      variables,
      enabled: entry.use === "sign-in" ? enabledSignIn.has(entry.id) : getConnectProvider(entry.id, env) !== null,
      entry,
    };
  });
}

/** The ids of the connect-only providers (shipped and operator's): strings, not ProviderId, as they are data. */
export function listConnectProviderIds(env: Env = process.env): string[] {
  return readCatalogue(env)
    .filter((entry) => entry.use === "connect")
    .map((entry) => entry.id);
}

/** Display names of the connect-only providers the demo IdP plays here (lib/providers/demo-connect.ts), for the demo banner. */
export function listDemoConnectProviderLabels(env: Env = process.env): string[] {
  return DEMO_CONNECT_PROVIDER_IDS.filter((id) => getConnectProvider(id, env)?.demo).map((id) => providerLabel(id));
}
