import { withApi } from "@/lib/api/with-api";
import { APP_CLIENT_ID_PREFIX } from "@/lib/applications/app-secrets";
import { authenticateClient } from "@/lib/oauth/authenticate-client";
import { presentedClientId, requireApplication } from "@/lib/oauth/handle-app-token-request";
import { oauthJson } from "@/lib/oauth/oauth-error";
import { readForm } from "@/lib/oauth/read-form";
import { revokePresentedToken } from "@/lib/oauth/revoke-presented-token";
import { asDocumented } from "@/lib/api/as-documented";
import { emptyObjectSchema } from "@/lib/oauth/oauth-schemas";

export const dynamic = "force-dynamic";

// RFC 7009: 200 whatever the token was; wrong client credentials are still invalid_client.
export const POST = withApi({ auth: { oauth: true } }, async (request, { ip }) => {
  const form = await readForm(request);
  // An application authenticates as at the token endpoint (its secret, or client_id alone when public).
  if (presentedClientId(request, form)?.startsWith(APP_CLIENT_ID_PREFIX)) {
    await revokePresentedToken(form.get("token") ?? "", null, ip, await requireApplication(request, form));
    return oauthJson({});
  }
  const client = await authenticateClient(request, form);
  await revokePresentedToken(form.get("token") ?? "", client, ip);
  return oauthJson(asDocumented(emptyObjectSchema, {}));
});
