import { APP_SCOPES, FALLBACK_DEFAULT_SCOPES, type AppScope } from "./app-scopes";
import { PROVIDER_SCOPES } from "./provider-scopes";

/*
 * Tessera's protected resources (RFC 8707, RFC 9728): what an application's access token may be for.
 * Each is named by its path under the issuer, which is also what codes and tokens store as their
 * audience: the issuer is the request's origin (issuerFor), so a stored absolute URL would break when the
 * same server is reached under another host name. Their absolute URL is `<issuer><path>`.
 * Lives in lib/oauth-apps (not lib/oauth) because the authorization request and the bearer check, both
 * here, need it, and the floor plan has lib/oauth above lib/oauth-apps.
 */

export type ProtectedResource = {
  /** The path under the issuer: the resource's identifier, and a token's stored audience. */
  path: string;
  /** RFC 9728 `resource_name`. */
  name: string;
  /** The scopes it accepts from applications (its metadata's scopes_supported). */
  scopes: readonly AppScope[];
  /** What a request without `scope` gets when the app registered no default scope this resource accepts. */
  fallback: readonly AppScope[];
};

/** The API every application token was for until resource indicators: a request without `resource` gets it. */
export const API_RESOURCE = "/api/v1";
/** Tessera as an MCP server (issue 24): its own scopes, the provider ones only here. */
export const MCP_RESOURCE = "/mcp";

/** Each needs its metadata route too: app/.well-known/oauth-protected-resource/<path>/route.ts. */
export const PROTECTED_RESOURCES: readonly ProtectedResource[] = [
  { path: API_RESOURCE, name: "Tessera API", scopes: APP_SCOPES, fallback: FALLBACK_DEFAULT_SCOPES },
  { path: MCP_RESOURCE, name: "Tessera MCP", scopes: ["connections:read", ...PROVIDER_SCOPES], fallback: ["connections:read"] },
];

export function findProtectedResource(path: string): ProtectedResource | null {
  return PROTECTED_RESOURCES.find((resource) => resource.path === path) ?? null;
}

/** The resource's identifier as clients see it (RFC 8707 §2, RFC 9728 `resource`). */
export function resourceUrl(issuer: string, path: string): string {
  return `${issuer}${path}`;
}

/**
 * A `resource` parameter (RFC 8707 §2) as the path of the Tessera resource it names: absent means the API;
 * otherwise an absolute URL on the issuer's origin, without fragment, query or credentials, whose path is a
 * registered resource (a trailing slash tolerated), or the issuer itself: the root metadata document's
 * `resource`, which a client falls back to, gets the API. Null: not a resource of this server (`invalid_target`).
 * Another origin never matches, even with a registered path: a token for `https://evil.example/api/v1`
 * must not be a token for Tessera's API (the confused deputy RFC 8707 exists to stop).
 */
export function resolveResource(raw: string | null | undefined, issuer: string | undefined): string | null {
  if (raw === undefined || raw === null) return API_RESOURCE;
  if (!issuer || !URL.canParse(raw)) return null;
  const url = new URL(raw);
  if (raw.includes("#") || raw.includes("?") || url.username || url.password || url.origin !== new URL(issuer).origin) return null;
  if (url.pathname === "/") return API_RESOURCE;
  return findProtectedResource(url.pathname.replace(/\/$/, ""))?.path ?? null;
}

/** The resource a request path belongs to (the path itself or below it), or null. */
export function resourceOfPath(pathname: string): ProtectedResource | null {
  return PROTECTED_RESOURCES.find((resource) => pathname === resource.path || pathname.startsWith(`${resource.path}/`)) ?? null;
}

/** Where a resource's RFC 9728 metadata is: the well-known segment inserted between the origin and its path (§3.1). */
export function protectedResourceMetadataUrl(issuer: string, path: string): string {
  return `${issuer}/.well-known/oauth-protected-resource${path}`;
}
