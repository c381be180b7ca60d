import { withApi } from "@/lib/api/with-api";
import { authorizationServerMetadata, issuerFor } from "@/lib/oauth/authorization-server-metadata";
import { oauthJson } from "@/lib/oauth/oauth-error";

export const dynamic = "force-dynamic";

export const GET = withApi({ auth: { oauth: true } }, async (request) => oauthJson(authorizationServerMetadata(issuerFor(request.headers, request.nextUrl.origin))));
