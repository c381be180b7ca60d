import { withApi } from "@/lib/api/with-api";
import { authorizationServerMetadata, issuerFor } from "@/lib/oauth/authorization-server-metadata";
import { oauthJson } from "@/lib/oauth/oauth-error";
import { asDocumented } from "@/lib/http/as-documented";
import { authorizationServerMetadataSchema } from "@/lib/oauth/oauth-schemas";

export const dynamic = "force-dynamic";

export const GET = withApi({ auth: { oauth: true } }, async (request) =>
  oauthJson(asDocumented(authorizationServerMetadataSchema, authorizationServerMetadata(issuerFor(request.headers, request.nextUrl.origin)))),
);
