import { asDocumented } from "@/lib/http/as-documented";
import { issueServiceToken, ServiceClientChangedError } from "@/lib/service-clients/issue-service-token";
import { InvalidClient, InvalidScope, oauthJson } from "../oauth-error";
import { clientCredentialsTokenSchema } from "../oauth-schemas";
import { serviceGrant } from "./token-grant";

/** RFC 6749 §4.4: a service access token with the client's permissions, or the subset `scope` names. */
export const clientCredentialsGrant = serviceGrant(async ({ client, presentedSecret }, form) => {
  const requested = form.get("scope")?.split(" ").filter(Boolean);
  const scopes = requested?.length ? [...new Set(requested)] : client.permissions;
  if (scopes.some((scope) => !client.permissions.includes(scope))) throw new InvalidScope("A requested scope is not granted to this client.");
  // Issued only while the secret just checked is still valid (a rotation or disable may commit meanwhile).
  const issued = await issueServiceToken(client.id, scopes, { presentedSecret }).catch((error: unknown) => {
    if (error instanceof ServiceClientChangedError) throw new InvalidClient();
    throw error;
  });
  return oauthJson(
    asDocumented(clientCredentialsTokenSchema, { access_token: issued.token, token_type: "Bearer", expires_in: issued.expiresIn, scope: scopes.join(" ") }),
  );
});
