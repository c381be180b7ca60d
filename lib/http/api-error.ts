import { API_ERROR_STATUS, type ApiErrorCode } from "./error-codes";

/** A failure with a stable code; its status comes from the one table (error-codes.ts); the wrapper answers `{"error": {code, message}}`. */
export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
    this.status = API_ERROR_STATUS[code];
  }
}

export function errorResponse(code: ApiErrorCode, message: string, headers: Record<string, string> = {}): Response {
  return Response.json({ error: { code, message } }, { status: API_ERROR_STATUS[code], headers: { "cache-control": "no-store", ...headers } });
}

export const notFound = () => new ApiError("not_found", "Not found.");
