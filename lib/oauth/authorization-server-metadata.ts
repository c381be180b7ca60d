import { isHttpsRequest } from "@/lib/security/is-https-request";
import { SERVICE_PERMISSIONS } from "@/lib/service-clients/permissions";
import { APP_SCOPES } from "@/lib/oauth-apps/app-scopes";
import { PROVIDER_SCOPES } from "@/lib/oauth-apps/provider-scopes";
import type { ClientRegistrationPolicy } from "@/lib/oauth-apps/client-registration-policy";
import { GRANT_TYPES } from "./grants/registry";

const CLIENT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"];

type HeaderReader = { get(name: string): string | null };

/**
 * The public base URL: AUTH_URL when set (behind a proxy), else the scheme and Host the client used.
 * Not request.url: NextRequest rewrites 127.0.0.1 to localhost, and clients compare the issuer exactly.
 */
export function issuerFor(headers: HeaderReader, fallbackOrigin: string, env: Readonly<Record<string, string | undefined>> = process.env): string {
  const configured = env.AUTH_URL;
  if (configured) {
    try {
      return new URL(configured).origin;
    } catch {
      // An unparsable AUTH_URL is reported at startup; fall back to the request.
    }
  }
  const host = headers.get("host");
  if (!host || !/^[A-Za-z0-9.\-:[\]]+$/.test(host)) return fallbackOrigin;
  return `${isHttpsRequest(headers, env) ? "https" : "http"}://${host}`;
}

/** RFC 8414 metadata, every endpoint Tessera has (discovery answers publishedAuthorizationServerMetadata's). */
export function authorizationServerMetadata(issuer: string) {
  return {
    issuer,
    authorization_endpoint: `${issuer}/oauth/authorize`,
    token_endpoint: `${issuer}/api/oauth/token`,
    introspection_endpoint: `${issuer}/api/oauth/introspect`,
    revocation_endpoint: `${issuer}/api/oauth/revoke`,
    // RFC 7591 dynamic client registration (lib/oauth/register-client.ts); see publishedAuthorizationServerMetadata.
    registration_endpoint: `${issuer}/api/oauth/register`,
    // RFC 8628: where a device (a CLI) starts the device flow.
    device_authorization_endpoint: `${issuer}/api/oauth/device_authorization`,
    grant_types_supported: [...GRANT_TYPES],
    // "none": public applications (PKCE is their proof).
    token_endpoint_auth_methods_supported: [...CLIENT_AUTH_METHODS, "none"],
    scopes_supported: [...SERVICE_PERMISSIONS, ...APP_SCOPES, ...PROVIDER_SCOPES],
    introspection_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
    revocation_endpoint_auth_methods_supported: [...CLIENT_AUTH_METHODS, "none"],
    response_types_supported: ["code"],
    response_modes_supported: ["query"],
    code_challenge_methods_supported: ["S256"],
    authorization_response_iss_parameter_supported: true,
    // An https URL as client_id names the client's metadata document (lib/oauth-apps/client-metadata-document.ts).
    client_id_metadata_document_supported: true,
  };
}

/**
 * What /.well-known/oauth-authorization-server answers. RFC 8414 §2 lists registration_endpoint when dynamic
 * registration is supported: not while the admin's policy is `off` (under `admins_only` an admin's session still
 * registers there). `registrationPolicy`: lib/oauth-apps/client-registration-policy.ts.
 */
export function publishedAuthorizationServerMetadata(issuer: string, registrationPolicy: ClientRegistrationPolicy) {
  const { registration_endpoint, ...rest } = authorizationServerMetadata(issuer);
  return registrationPolicy === "off" ? rest : { ...rest, registration_endpoint };
}
