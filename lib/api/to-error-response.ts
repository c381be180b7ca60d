import { z } from "zod";
import { logger } from "@/lib/log/logger";
import { ApiError, errorResponse } from "../http/api-error";

/**
 * The one table where a failure code meets an HTTP status. Domain code (lib/) throws or returns a
 * coded failure without knowing about HTTP; `ApiError`s carry their own status and `ZodError`s are 400.
 */
export const STATUS_BY_CODE = {
  // getFreshAccessToken (lib/provider-tokens/errors.ts)
  not_connected: 404,
  reconnect_required: 409,
  refresh_unavailable: 503,
  // createToken (lib/pat/create-token.ts)
  name_taken: 409,
  invalid_expiry: 400,
  scope_not_allowed: 403,
  credential_revoked: 401,
  // rotateToken (lib/pat/rotate-token.ts)
  token_inactive: 409,
  already_rotated: 409,
  // createWebhookEndpoint (lib/webhooks/manage-webhook-endpoints.ts): the URL fails the SSRF check
  invalid_url: 400,
} as const satisfies Record<string, number>;

export type DomainErrorCode = keyof typeof STATUS_BY_CODE;

/** Seconds a caller should wait after `refresh_unavailable` when the error names none (backoff may). */
const DEFAULT_RETRY_AFTER_SECONDS = 30;

/** An ApiError for a domain failure code, with the status from the table. */
export function domainError(code: DomainErrorCode, message: string): ApiError {
  return new ApiError(STATUS_BY_CODE[code], code, message);
}

function domainCode(error: unknown): DomainErrorCode | null {
  if (!(error instanceof Error)) return null;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && Object.hasOwn(STATUS_BY_CODE, code) ? (code as DomainErrorCode) : null;
}

/**
 * Every failure of every route becomes `{"error": {"code", "message"}}` here; only the unknown ones are logged.
 * `codeHeader`: also name the code in this response header (the proxy's `Tessera-Proxy-Error`, so a
 * service tells Tessera's own answer — its dead token — from the provider's).
 */
export function toErrorResponse(error: unknown, path: string, options: { codeHeader?: string } = {}): Response {
  const response = errorResponseFor(error, path);
  if (options.codeHeader && !response.headers.has(options.codeHeader)) response.headers.set(options.codeHeader, codeOf(error));
  return response;
}

function codeOf(error: unknown): string {
  if (error instanceof ApiError) return error.code;
  if (error instanceof z.ZodError) return "invalid_request";
  return domainCode(error) ?? "internal_error";
}

function errorResponseFor(error: unknown, path: string): Response {
  if (error instanceof ApiError) return errorResponse(error.status, error.code, error.message, error.headers);
  if (error instanceof z.ZodError) {
    const first = error.issues[0];
    return errorResponse(400, "invalid_request", first ? `${first.path.join(".") || "body"}: ${first.message}` : "Invalid request.");
  }
  const code = domainCode(error);
  if (code) {
    const headers: Record<string, string> = {};
    if (code === "refresh_unavailable") {
      const seconds = (error as { retryAfterSeconds?: unknown }).retryAfterSeconds;
      headers["retry-after"] = String(typeof seconds === "number" && seconds > 0 ? Math.ceil(seconds) : DEFAULT_RETRY_AFTER_SECONDS);
    }
    return errorResponse(STATUS_BY_CODE[code], code, (error as Error).message, headers);
  }
  logger.error({ err: error, path }, "unhandled API error");
  return errorResponse(500, "internal_error", "Something went wrong on our side.");
}
