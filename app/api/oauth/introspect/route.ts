import { withApi } from "@/lib/api/with-api";
import { authenticateClient } from "@/lib/oauth/authenticate-client";
import { throwIfRateLimited } from "@/lib/oauth/rate-limited";
import { introspectToken } from "@/lib/oauth/introspect-token";
import { issuerFor } from "@/lib/oauth/authorization-server-metadata";
import { IntrospectionNotAllowed, InvalidClient, oauthJson } from "@/lib/oauth/oauth-error";
import { readForm } from "@/lib/oauth/read-form";
import { asDocumented } from "@/lib/http/as-documented";
import { introspectionSchema } from "@/lib/oauth/oauth-schemas";

export const dynamic = "force-dynamic";

// RFC 7662, for clients with tokens:introspect.
export const POST = withApi({ auth: { oauth: true } }, async (request) => {
  const form = await readForm(request);
  const caller = await authenticateClient(request, form);
  // Service clients only: no client, or an application, is invalid_client.
  if (caller?.kind !== "service") throw new InvalidClient();
  const { client } = caller;
  if (!client.permissions.includes("tokens:introspect")) throw new IntrospectionNotAllowed();
  await throwIfRateLimited(client);
  return oauthJson(
    asDocumented(introspectionSchema, await introspectToken(form.get("token") ?? "", { issuer: issuerFor(request.headers, request.nextUrl.origin) })),
  );
});
