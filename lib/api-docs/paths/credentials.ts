import { leakReportReceivedSchema } from "@/lib/credentials/leak-report-schemas";
import { reportLeakSchema } from "@/lib/credentials/report-leaked-tokens";
import { defineArea, errorResponse, JSON_BODY_ERRORS } from "../route-doc";

export const credentialsArea = defineArea({
  tag: { name: "Leaked credentials", description: "Anyone who finds a Tessera token (in a repository, a log, a paste) reports it here; live ones are revoked at once." },
  routes: [
    {
      method: "POST",
      path: "/api/credentials/report-leak",
      access: { kind: "public" },
      operation: {
        operationId: "reportLeakedTokens",
        summary: "Report leaked tokens",
        description:
          "No authentication, like GitHub's credential revocation API. Every live personal access token or service access token among `tokens` (up to 100 strings of up to 512 characters) is revoked at once (audited; the owner sees why on their tokens page). The answer never says which strings were live.",
        requestBody: { required: true, content: { "application/json": { schema: reportLeakSchema, example: { tokens: ["tsr_pat_…"] } } } },
        responses: {
          202: { description: "Received (whatever the strings were).", content: { "application/json": { schema: leakReportReceivedSchema } } },
          ...JSON_BODY_ERRORS,
          429: errorResponse("Too many reports from this address.", ["rate_limited"], { retryAfter: true }),
          500: errorResponse("An unexpected error on our side (logged).", ["internal_error"]),
        },
      },
    },
  ],
});
