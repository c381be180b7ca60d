import { ApiError } from "@/lib/http/api-error";
import { asDocumented } from "@/lib/http/as-documented";
import { json, withApi } from "@/lib/api/with-api";
import { consumeGithubReportLimit } from "@/lib/credentials/consume-leak-report-limit";
import { githubSecretScanningFeedbackSchema } from "@/lib/credentials/github-secret-scanning-schemas";
import { handleGithubSecretScanning } from "@/lib/credentials/report-github-secret-scanning";

export const dynamic = "force-dynamic";

// GitHub's secret scanning partner program posts here; the ECDSA signature (not a Tessera credential)
// proves the sender. Limited per address before anything is read, like the public report route.
export const POST = withApi({ auth: { public: true } }, async (request, { ip }) => {
  const wait = await consumeGithubReportLimit(ip);
  if (wait) throw new ApiError("rate_limited", "Too many secret scanning reports from this address. Try again later.", { "retry-after": String(wait) });
  const feedback = await handleGithubSecretScanning(request, ip);
  return json(asDocumented(githubSecretScanningFeedbackSchema, feedback), 200);
});
