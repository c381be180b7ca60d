import { constantTimeEqual } from "@/lib/crypto";
import { ApiError } from "./api-error";

/**
 * Internal services (background jobs, other modules) authenticate with INTERNAL_API_TOKEN. Without
 * it configured the internal API does not exist (404). Compared in constant time.
 */
export function requireInternalService(headers: Headers): void {
  const expected = process.env.INTERNAL_API_TOKEN;
  if (!expected || expected.length < 32) throw new ApiError(404, "not_found", "Not found.");
  const presented = /^Bearer\s+(.+)$/i.exec(headers.get("authorization") ?? "")?.[1] ?? "";
  if (!constantTimeEqual(presented, expected)) {
    throw new ApiError(401, "unauthorized", "A valid internal service token is required.", { "www-authenticate": 'Bearer realm="tessera-internal"' });
  }
}
