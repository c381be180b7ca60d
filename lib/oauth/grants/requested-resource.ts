import { resolveResource } from "@/lib/oauth-apps/protected-resources";
import { InvalidTarget } from "../oauth-error";

/**
 * The token request's `resource` (RFC 8707 §2.2) as the path of the Tessera resource it names, or
 * undefined when absent (the code's or refresh token's own audience then). One that names no resource of
 * this server is invalid_target before anything about the code or refresh token is looked at.
 */
export function requestedResource(form: Map<string, string>, issuer: string): string | undefined {
  const raw = form.get("resource");
  if (raw === undefined) return undefined;
  const path = resolveResource(raw, issuer);
  if (!path) throw new InvalidTarget("resource must be the URL of one of this server's protected resources (RFC 8707).");
  return path;
}
