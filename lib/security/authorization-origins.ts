import { getProviderMode, listConnectableProviders, PROVIDER_IDS, readDemoIdp, readRealCredentials, type ProviderId } from "@/lib/providers/catalog";

type Env = Readonly<Record<string, string | undefined>>;

// Where each real provider's sign-in page lives (Entra's comes from its issuer: national clouds differ).
const AUTHORIZATION_ORIGINS: Record<Exclude<ProviderId, "microsoft-entra-id">, string> = {
  google: "https://accounts.google.com",
  github: "https://github.com",
};

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/**
 * The origins sign-in and the connect flow send the browser to: the enabled providers' authorization endpoints
 * (every connectable catalogue entry's too), or the demo identity provider. The forms post to Tessera, which
 * redirects there, so the CSP's form-action must allow them.
 */
export function listAuthorizationOrigins(env: Env = process.env): string[] {
  const connect = listConnectOrigins(env);
  const mode = getProviderMode(env);
  if (mode === "demo") {
    const origin = originOf(readDemoIdp(env)!.issuer);
    return [...new Set([...(origin ? [origin] : []), ...connect])];
  }
  if (mode === "none") return connect;
  const origins = PROVIDER_IDS.flatMap((id) => {
    const credentials = readRealCredentials(id, env);
    if (!credentials) return [];
    const origin = id === "microsoft-entra-id" ? originOf(credentials.issuer ?? "") : AUTHORIZATION_ORIGINS[id];
    return origin ? [origin] : [];
  });
  return [...new Set([...origins, ...connect])];
}

/** Authorization endpoints' origins of every provider the connect flow may send a person to; [] for a broken catalogue. */
function listConnectOrigins(env: Env): string[] {
  try {
    return listConnectableProviders(env).flatMap(({ entry }) => originOf(entry.authorizationUrl) ?? []);
  } catch {
    // npm start refuses a broken catalogue before any page is served; a header must not throw meanwhile.
    return [];
  }
}
