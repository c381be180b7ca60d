import { ApiError } from "./api-error";

/** The largest JSON body any route accepts. */
export const MAX_JSON_BODY_BYTES = 64 * 1024;

const tooLarge = () => new ApiError(413, "payload_too_large", `The request body is larger than ${MAX_JSON_BODY_BYTES / 1024} KiB.`);
const notJson = () => new ApiError(400, "invalid_json", "The request body must be JSON.");

/** `application/json` or any `+json` type, with or without parameters (`; charset=utf-8`). */
function isJsonContentType(value: string | null): boolean {
  if (!value) return false;
  const type = value.split(";", 1)[0]!.trim().toLowerCase();
  return type === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

/**
 * Reads a JSON request body with a byte counter on the stream itself: a chunked body (no
 * Content-Length) or one that lies about its length is cut off at the limit, never buffered whole.
 * Wrong content type → 415, too large → 413, not UTF-8 JSON → 400; all as ApiError.
 */
export async function readJsonBody(request: Request, limit = MAX_JSON_BODY_BYTES): Promise<unknown> {
  if (!isJsonContentType(request.headers.get("content-type"))) {
    throw new ApiError(415, "unsupported_media_type", "Send the request body as application/json.");
  }
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  if (!request.body) throw notJson();

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        // Stop reading: the rest of the stream is never pulled into memory.
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof ApiError) throw error;
    // The client aborted or the stream errored mid-body: the body we have is not a JSON document.
    throw notJson();
  } finally {
    reader.releaseLock();
  }

  let text: string;
  try {
    // fatal: invalid UTF-8 is bad input, not something to patch over with U+FFFD.
    text = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks, total));
  } catch {
    throw notJson();
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw notJson();
  }
}
