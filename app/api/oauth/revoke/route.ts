import { withApi } from "@/lib/api/with-api";
import { authenticateClient } from "@/lib/oauth/authenticate-client";
import { oauthJson } from "@/lib/oauth/oauth-error";
import { readForm } from "@/lib/oauth/read-form";
import { revokePresentedToken } from "@/lib/oauth/revoke-presented-token";
import { asDocumented } from "@/lib/http/as-documented";
import { emptyObjectSchema } from "@/lib/oauth/oauth-schemas";

export const dynamic = "force-dynamic";

// RFC 7009: 200 whatever the token was; wrong client credentials are still invalid_client.
export const POST = withApi({ auth: { oauth: true } }, async (request, { ip }) => {
  const form = await readForm(request);
  // A service client may present no credentials (null); an application authenticates as at the token endpoint.
  const client = await authenticateClient(request, form);
  await revokePresentedToken(
    form.get("token") ?? "",
    client?.kind === "service" ? client.client : null,
    ip,
    client?.kind === "application" ? client.application : null,
  );
  return oauthJson(asDocumented(emptyObjectSchema, {}));
});
