import { z } from "zod";
import { logger } from "@/lib/log/logger";
import { ApiError, errorResponse } from "../http/api-error";

/**
 * Every failure of every route becomes `{"error": {"code", "message"}}` here; only the unknown ones are logged.
 * An `ApiError` answers with its code's status from the one table (lib/http/error-codes.ts), a `ZodError` is
 * invalid_request; domain code (lib/) returns coded results that the route turns into an ApiError.
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
  return "internal_error";
}

function errorResponseFor(error: unknown, path: string): Response {
  if (error instanceof ApiError) return errorResponse(error.code, error.message, error.headers);
  if (error instanceof z.ZodError) {
    const first = error.issues[0];
    return errorResponse("invalid_request", first ? `${first.path.join(".") || "body"}: ${first.message}` : "Invalid request.");
  }
  logger.error({ err: error, path }, "unhandled API error");
  return errorResponse("internal_error", "Something went wrong on our side.");
}
