import { json, withApi } from "@/lib/api/with-api";
import { listTokensForRequest } from "@/lib/api/list-tokens-request";
import { asDocumented } from "@/lib/http/as-documented";
import { tokenListSchema } from "@/lib/pat/token-schemas";

export const dynamic = "force-dynamic";

export const GET = withApi({ auth: { pat: true, session: true }, scope: "tokens:read" }, async (request, { principal }) =>
  json(asDocumented(tokenListSchema, await listTokensForRequest(principal.user.id, request.nextUrl.searchParams))),
);
