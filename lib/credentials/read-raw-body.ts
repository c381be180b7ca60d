import { ApiError } from "@/lib/http/api-error";
import { readCappedBody } from "@/lib/http/read-capped-body";

/**
 * The request body's exact bytes (a signature covers them, not a re-serialised parse), cut off at
 * `limit` without buffering the rest: too large → 413, unreadable → 400.
 */
export async function readRawBody(request: Request, limit: number): Promise<Buffer> {
  const body = await readCappedBody(request, limit);
  if (body.ok) return body.bytes;
  if (body.reason === "too_large") throw new ApiError("payload_too_large", `The request body is larger than ${limit / 1024} KiB.`);
  throw new ApiError("invalid_json", "The request body could not be read.");
}
