import { createHash } from "node:crypto";
import type { z } from "zod";
import { ApiError } from "@/lib/http/api-error";
import { githubSecretScanningKeys } from "@/lib/config/github-secret-scanning-keys";
import { githubSecretScanningFeedbackSchema, githubSecretScanningPayloadSchema, MAX_GITHUB_BODY_BYTES } from "./github-secret-scanning-schemas";
import { readRawBody } from "./read-raw-body";
import { leakHash, reportLeakedTokens } from "./report-leaked-tokens";
import { verifyGithubSignature } from "./verify-github-signature";

type Feedback = z.input<typeof githubSecretScanningFeedbackSchema>;

const invalidSignature = () =>
  new ApiError(
    "invalid_signature",
    "The Github-Public-Key-Signature does not verify with a configured GitHub secret scanning key (GITHUB_SECRET_SCANNING_PUBLIC_KEYS).",
  );
const notJson = () => new ApiError("invalid_json", "The request body must be JSON.");

/** Only GitHub's own public URLs are kept (they reach audit events and notices). */
function publicUrl(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  try {
    const url = new URL(raw);
    return url.protocol === "https:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * GitHub's secret scanning partner program: a signed JSON array of matches found in public. Checked
 * in this order, and nothing is revoked before the signature verifies: body ≤ 1 MiB → ECDSA signature
 * over those exact bytes with a configured key → JSON → shape. Then every match is handled like a
 * public report, and the answer is GitHub's partner feedback: per match, the SHA-256 of the token and
 * whether it was a live Tessera credential. Only a verified GitHub learns that, never an anonymous caller.
 */
export async function handleGithubSecretScanning(request: Request, ip: string | null): Promise<Feedback> {
  const body = await readRawBody(request, MAX_GITHUB_BODY_BYTES);
  const signed = verifyGithubSignature(
    body,
    request.headers.get("github-public-key-identifier"),
    request.headers.get("github-public-key-signature"),
    githubSecretScanningKeys(),
  );
  if (!signed) throw invalidSignature();
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body));
  } catch {
    throw notJson();
  }
  const matches = githubSecretScanningPayloadSchema.parse(json);
  if (matches.length === 0) return [];
  const foundAt = new Map<string, string>();
  for (const match of matches) {
    const url = publicUrl(match.url);
    if (url) foundAt.set(match.token, url);
  }
  const { matched } = await reportLeakedTokens(
    matches.map((match) => match.token),
    { ip, via: "github_secret_scanning", foundAt },
  );
  return matches.map((match) => ({
    token_hash: createHash("sha256").update(match.token, "utf8").digest("hex"),
    token_type: match.type,
    label: matched.has(leakHash(match.token)) ? "true_positive" : "false_positive",
  }));
}
