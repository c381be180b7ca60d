import { z } from "zod";
import { MAX_REPORTED_TOKEN_LENGTH } from "./report-leaked-tokens";

/** GitHub batches matches; a message this large is far beyond any real one. */
export const MAX_GITHUB_MATCHES = 1000;
export const MAX_GITHUB_BODY_BYTES = 1024 * 1024;

/** One match in GitHub's secret scanning partner message. Unknown fields are dropped (GitHub may add some). */
const githubMatchSchema = z.object({
  token: z.string().max(MAX_REPORTED_TOKEN_LENGTH).meta({ description: "The string GitHub found.", example: "tsr_pat_…" }),
  type: z.string().max(200).meta({ description: "The secret type name registered with GitHub.", example: "tessera_personal_access_token" }),
  url: z
    .string()
    .max(2048)
    .optional()
    .meta({ description: "The public URL where it was found (may be empty).", example: "https://github.com/octocat/hello/blob/1234567/config.yml" }),
  source: z.string().max(100).optional().meta({ description: "Where on GitHub: content, commit, issue_comment, gist_content, npm…", example: "content" }),
});

export const githubSecretScanningPayloadSchema = z.array(githubMatchSchema).max(MAX_GITHUB_MATCHES).meta({ id: "GithubSecretScanningMatches" });

/** The partner feedback GitHub accepts in the answer: SHA-256 of each token (never the token), and whether it was real. */
export const githubSecretScanningFeedbackSchema = z
  .array(
    z.object({
      token_hash: z
        .string()
        .meta({ description: "SHA-256 of the reported token, hex.", example: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" }),
      token_type: z.string().meta({ example: "tessera_personal_access_token" }),
      label: z.enum(["true_positive", "false_positive"]).meta({ description: "true_positive: a live Tessera credential, now revoked." }),
    }),
  )
  .meta({ id: "GithubSecretScanningFeedback" });
