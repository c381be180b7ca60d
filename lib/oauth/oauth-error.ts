import { NextResponse } from "next/server";
import { z } from "zod";
import { ApiError } from "@/lib/http/api-error";
import { logger } from "@/lib/log/logger";

/** An RFC 6749 §5.2 error: `{"error", "error_description"?}` with its status (and headers such as WWW-Authenticate). */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(description ?? error);
    this.name = "OAuthError";
  }
}

export const invalidClient = () => new OAuthError(401, "invalid_client", "Client authentication failed.", { "www-authenticate": 'Basic realm="tessera"' });
export const invalidRequest = (description: string) => new OAuthError(400, "invalid_request", description);

/** Every failure of an OAuth endpoint becomes OAuth error JSON here; only unexpected ones are logged. */
export function toOAuthErrorResponse(error: unknown, path: string): Response {
  let failure: OAuthError;
  if (error instanceof OAuthError) failure = error;
  else if (error instanceof z.ZodError) failure = invalidRequest(error.issues[0]?.message ?? "Invalid request.");
  else if (error instanceof ApiError && error.status < 500) failure = new OAuthError(error.status, "invalid_request", error.message, error.headers);
  else {
    logger.error({ err: error, path }, "unhandled OAuth endpoint error");
    failure = new OAuthError(500, "server_error", "Something went wrong on our side.");
  }
  const body = failure.description ? { error: failure.error, error_description: failure.description } : { error: failure.error };
  return NextResponse.json(body, { status: failure.status, headers: { "cache-control": "no-store", pragma: "no-cache", ...failure.headers } });
}

/** A successful OAuth JSON response: never cached (RFC 6749 §5.1). */
export function oauthJson(data: unknown, status = 200): Response {
  return NextResponse.json(data, { status, headers: { "cache-control": "no-store", pragma: "no-cache" } });
}
