import { json, withApi } from "@/lib/api/with-api";
import { listTokensForRequest, listTokensQuerySchema } from "@/lib/api/list-tokens-request";
import { asDocumented } from "@/lib/http/as-documented";
import { tokenListSchema } from "@/lib/pat/token-schemas";

export const dynamic = "force-dynamic";

export const GET = withApi({ auth: { pat: true, session: true }, scope: "tokens:read", query: listTokensQuerySchema }, async (_request, { principal, query }) =>
  json(asDocumented(tokenListSchema, await listTokensForRequest(principal.user.id, query))),
);
