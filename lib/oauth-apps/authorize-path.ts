import { AUTHORIZATION_PARAM_NAMES, type AuthorizationParams } from "./authorization-request";

/**
 * The authorization request's own parameters. Repeated ones count as absent (RFC 6749 §3.1 forbids them), except
 * `resource`, which RFC 8707 lets a client repeat: its values are kept for validation to refuse (invalid_target),
 * never dropped, since an absent resource means a token for the API.
 */
export function pickAuthorizationParams(source: Record<string, unknown>): AuthorizationParams {
  const params: AuthorizationParams = {};
  for (const name of AUTHORIZATION_PARAM_NAMES) {
    const value = source[name];
    if (typeof value === "string") params[name] = value;
  }
  const resources = source.resource;
  if (Array.isArray(resources) && resources.length > 0) params.resource = resources.length === 1 ? String(resources[0]) : resources.map(String);
  return params;
}

/** `/oauth/authorize?…` for these parameters: where sign-in comes back to, and where the consent form returns. */
export function authorizePath(source: Record<string, unknown>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(pickAuthorizationParams(source))) for (const each of [value].flat()) query.append(name, each);
  const search = query.toString();
  return search ? `/oauth/authorize?${search}` : "/oauth/authorize";
}
