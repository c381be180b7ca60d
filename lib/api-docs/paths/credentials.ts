import { z } from "zod";
import { githubSecretScanningFeedbackSchema, githubSecretScanningPayloadSchema } from "@/lib/credentials/github-secret-scanning-schemas";
import { leakReportReceivedSchema } from "@/lib/credentials/leak-report-schemas";
import { reportLeakSchema } from "@/lib/credentials/report-leaked-tokens";
import { defineArea, errorResponse, JSON_BODY_ERRORS } from "../route-doc";

export const credentialsArea = defineArea({
  tag: {
    name: "Leaked credentials",
    description: "Anyone who finds a Tessera token (in a repository, a log, a paste) reports it here; live ones are revoked at once.",
  },
  routes: [
    {
      method: "POST",
      path: "/api/credentials/report-leak",
      access: { kind: "public" },
      operation: {
        operationId: "reportLeakedTokens",
        summary: "Report leaked tokens",
        description:
          "No authentication, like GitHub's credential revocation API. Every live Tessera credential among `tokens` (up to 100 strings of up to 512 characters) is ended at once: a personal access token or service access token is revoked; an application's access or refresh token is revoked with every token of its family; a service's or application's client secret stops working until it is rotated (and the service's access tokens are revoked). Each is audited and its owner told (notices; the tokens page for PATs). The answer never says which strings were live.",
        requestBody: { required: true, content: { "application/json": { schema: reportLeakSchema, example: { tokens: ["tsr_pat_…"] } } } },
        responses: {
          202: { description: "Received (whatever the strings were).", content: { "application/json": { schema: leakReportReceivedSchema } } },
          ...JSON_BODY_ERRORS,
          429: errorResponse("Too many reports from this address.", ["rate_limited"], { retryAfter: true }),
          500: errorResponse("An unexpected error on our side (logged).", ["internal_error"]),
        },
      },
    },
    {
      method: "POST",
      path: "/api/credentials/github-secret-scanning",
      access: { kind: "public" },
      operation: {
        operationId: "githubSecretScanning",
        summary: "GitHub secret scanning report",
        description:
          "The endpoint to register with GitHub's secret scanning partner program. GitHub posts a JSON array of matches found in public, signed with ECDSA P-256 (SHA-256) over the raw body: `Github-Public-Key-Identifier` names the key, `Github-Public-Key-Signature` is the base64 DER signature. Keys come from `GITHUB_SECRET_SCANNING_PUBLIC_KEYS` (never fetched at request time). Nothing is revoked unless the signature verifies; then every match is handled as by `POST /api/credentials/report-leak`, and the answer is GitHub's partner feedback (SHA-256 of each token, never the token; `true_positive` when it was a live Tessera credential).",
        requestParams: {
          header: z.object({
            "github-public-key-identifier": z
              .string()
              .meta({ description: "Which configured key signed the body.", example: "bcb53661c06b4728e59d897fb6165d5c9cda0fd9cdf9d09ead458168deb7518c" }),
            "github-public-key-signature": z
              .string()
              .meta({ description: "Base64 ASN.1 DER ECDSA P-256 SHA-256 signature of the raw body.", example: "MEQCIQDaMKqrGnE27S0k…" }),
          }),
        },
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: githubSecretScanningPayloadSchema,
              example: [
                {
                  token: "tsr_pat_…",
                  type: "tessera_personal_access_token",
                  url: "https://github.com/octocat/hello/blob/1234567/config.yml",
                  source: "content",
                },
              ],
            },
          },
        },
        responses: {
          200: {
            description: "Handled; GitHub's partner feedback, one entry per match.",
            content: { "application/json": { schema: githubSecretScanningFeedbackSchema } },
          },
          400: errorResponse("The body is not JSON, or not an array of matches (up to 1000).", ["invalid_request", "invalid_json"]),
          401: errorResponse("No signature, an unknown key identifier, or a signature that does not verify: nothing was revoked.", ["invalid_signature"]),
          413: errorResponse("The body is larger than 1 MiB.", ["payload_too_large"]),
          429: errorResponse("Too many reports from this address.", ["rate_limited"], { retryAfter: true }),
          500: errorResponse("An unexpected error on our side (logged).", ["internal_error"]),
        },
      },
    },
  ],
});
