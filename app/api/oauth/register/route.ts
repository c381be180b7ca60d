import { withApi } from "@/lib/api/with-api";
import { readJsonBody } from "@/lib/api/read-json-body";
import { asDocumented } from "@/lib/http/as-documented";
import { findRegisteringAdmin } from "@/lib/oauth-apps/find-registering-admin";
import { clientRegistrationResponseSchema } from "@/lib/oauth-apps/client-registration-schemas";
import { registerClient } from "@/lib/oauth/register-client";
import { oauthJson } from "@/lib/oauth/oauth-error";

export const dynamic = "force-dynamic";

// RFC 7591 dynamic client registration, under the admin's policy (lib/oauth-apps/client-registration-policy.ts).
export const POST = withApi({ auth: { oauth: true } }, async (request, { ip }) => {
  const body = await readJsonBody(request);
  const registered = await registerClient(body, { admin: await findRegisteringAdmin(request), ip });
  return oauthJson(asDocumented(clientRegistrationResponseSchema, registered), 201);
});
