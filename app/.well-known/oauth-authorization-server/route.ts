import { withApi } from "@/lib/api/with-api";
import { issuerFor, publishedAuthorizationServerMetadata } from "@/lib/oauth/authorization-server-metadata";
import { oauthJson } from "@/lib/oauth/oauth-error";
import { getClientRegistrationPolicy } from "@/lib/oauth-apps/client-registration-policy";
import { asDocumented } from "@/lib/http/as-documented";
import { authorizationServerMetadataSchema } from "@/lib/oauth/oauth-schemas";

export const dynamic = "force-dynamic";

export const GET = withApi({ auth: { oauth: true } }, async (request) => {
  const metadata = publishedAuthorizationServerMetadata(issuerFor(request.headers, request.nextUrl.origin), await getClientRegistrationPolicy());
  return oauthJson(asDocumented(authorizationServerMetadataSchema, metadata));
});
