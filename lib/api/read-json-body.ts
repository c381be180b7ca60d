import { ApiError } from "../http/api-error";
import { readCappedBody } from "../http/read-capped-body";

/** The largest JSON body any route accepts. */
export const MAX_JSON_BODY_BYTES = 64 * 1024;

const tooLarge = () => new ApiError("payload_too_large", `The request body is larger than ${MAX_JSON_BODY_BYTES / 1024} KiB.`);
const notJson = () => new ApiError("invalid_json", "The request body must be JSON.");

/** `application/json` or any `+json` type, with or without parameters (`; charset=utf-8`). */
function isJsonContentType(value: string | null): boolean {
  if (!value) return false;
  const type = value.split(";", 1)[0]!.trim().toLowerCase();
  return type === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

/**
 * Reads a JSON request body, capped while it is read (lib/http/read-capped-body.ts).
 * Wrong content type → 415, too large → 413, not UTF-8 JSON → 400; all as ApiError.
 */
export async function readJsonBody(request: Request, limit = MAX_JSON_BODY_BYTES): Promise<unknown> {
  if (!isJsonContentType(request.headers.get("content-type"))) {
    throw new ApiError("unsupported_media_type", "Send the request body as application/json.");
  }
  const body = await readCappedBody(request, limit);
  if (!body.ok) throw body.reason === "too_large" ? tooLarge() : notJson();

  let text: string;
  try {
    // fatal: invalid UTF-8 is bad input, not something to patch over with U+FFFD.
    text = new TextDecoder("utf-8", { fatal: true }).decode(body.bytes);
  } catch {
    throw notJson();
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw notJson();
  }
}
