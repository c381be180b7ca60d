import { json, withApi } from "@/lib/api/with-api";
import { listTokensForRequest } from "@/lib/api/list-tokens-request";

export const dynamic = "force-dynamic";

export const GET = withApi({ auth: { pat: true, session: true }, scope: "tokens:read" }, async (request, { principal }) =>
  json(await listTokensForRequest(principal.user.id, request.nextUrl.searchParams)),
);
