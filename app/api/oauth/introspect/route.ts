import { withApi } from "@/lib/api/with-api";
import { requireClient } from "@/lib/oauth/authenticate-client";
import { throwIfRateLimited } from "@/lib/oauth/handle-token-request";
import { introspectToken } from "@/lib/oauth/introspect-token";
import { OAuthError, oauthJson } from "@/lib/oauth/oauth-error";
import { readForm } from "@/lib/oauth/read-form";
import { asDocumented } from "@/lib/api/as-documented";
import { introspectionSchema } from "@/lib/oauth/oauth-schemas";

export const dynamic = "force-dynamic";

// RFC 7662, for clients with tokens:introspect.
export const POST = withApi({ auth: { oauth: true } }, async (request) => {
  const form = await readForm(request);
  const client = await requireClient(request, form);
  if (!client.permissions.includes("tokens:introspect")) throw new OAuthError(403, "unauthorized_client", "This client lacks tokens:introspect.");
  await throwIfRateLimited(client);
  return oauthJson(asDocumented(introspectionSchema, await introspectToken(form.get("token") ?? "")));
});
