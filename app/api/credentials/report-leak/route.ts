import { asDocumented } from "@/lib/http/as-documented";
import { leakReportReceivedSchema } from "@/lib/credentials/leak-report-schemas";
import { ApiError } from "@/lib/http/api-error";
import { json, parseJsonBody, withApi } from "@/lib/api/with-api";
import { consumeLeakReportLimit } from "@/lib/credentials/consume-leak-report-limit";
import { reportLeakedTokens, reportLeakSchema } from "@/lib/credentials/report-leaked-tokens";

export const dynamic = "force-dynamic";

// No authentication, like GitHub's credential revocation API: whoever finds a token reports it.
// The answer never says which strings were live: always 202 {"received": n}. The body is parsed here,
// after the rate limit, so a limited address is refused before anything is read.
export const POST = withApi({ auth: { public: true } }, async (request, { ip }) => {
  const wait = await consumeLeakReportLimit(ip);
  if (wait) throw new ApiError("rate_limited", "Too many leak reports from this address. Try again later.", { "retry-after": String(wait) });
  const { tokens } = await parseJsonBody(request, reportLeakSchema);
  await reportLeakedTokens(tokens, { ip });
  return json(asDocumented(leakReportReceivedSchema, { received: tokens.length }), 202);
});
