import { AUTHORIZATION_PARAM_NAMES, type AuthorizationParams } from "./authorization-request";

/** The authorization request's own parameters (repeated ones count as absent: RFC 6749 §3.1 forbids them). */
export function pickAuthorizationParams(source: Record<string, unknown>): AuthorizationParams {
  const params: AuthorizationParams = {};
  for (const name of AUTHORIZATION_PARAM_NAMES) {
    const value = source[name];
    if (typeof value === "string") params[name] = value;
  }
  return params;
}

/** `/oauth/authorize?…` for these parameters: where sign-in comes back to, and where the consent form returns. */
export function authorizePath(source: Record<string, unknown>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(pickAuthorizationParams(source))) query.set(name, value);
  const search = query.toString();
  return search ? `/oauth/authorize?${search}` : "/oauth/authorize";
}
