/** How much of an oversized body is read and thrown away after the 413, so the connection stays usable. */
export const DISCARD_LIMIT_BYTES = 16 * 1024 * 1024;

/**
 * Reads a request body into memory up to `limit` bytes, counting on the stream itself: a chunked body
 * (no Content-Length) or one that lies about its length is cut off at the limit, never buffered whole.
 */
export async function readCappedBody(
  request: Request,
  limit: number,
): Promise<{ ok: true; bytes: Buffer } | { ok: false; reason: "too_large" | "unreadable" }> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) {
    if (request.body && declared <= DISCARD_LIMIT_BYTES) discardRest(request.body.getReader());
    return { ok: false, reason: "too_large" };
  }
  if (!request.body) return { ok: true, bytes: Buffer.alloc(0) };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch {
      // The client hung up or the stream broke mid-body: what we have is not the body it meant.
      reader.releaseLock();
      return { ok: false, reason: "unreadable" };
    }
    if (chunk.done) break;
    total += chunk.value.byteLength;
    if (total > limit) {
      discardRest(reader);
      return { ok: false, reason: "too_large" };
    }
    chunks.push(chunk.value);
  }
  reader.releaseLock();
  return { ok: true, bytes: Buffer.concat(chunks, total) };
}

/**
 * Reads what is left of a refused body and throws it away, in the background, while the 413 is sent.
 * Cancelling instead would destroy Node's request stream and the socket with it, often before the 413
 * is written (the client sees a connection reset), and a client that keeps the connection alive would
 * find it broken. The way nginx's lingering close does it: a body past DISCARD_LIMIT_BYTES is cut off.
 */
export function discardRest(reader: ReadableStreamDefaultReader<Uint8Array>): void {
  void (async () => {
    let discarded = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        discarded += value.byteLength;
        if (discarded > DISCARD_LIMIT_BYTES) return void (await reader.cancel());
      }
    } catch {
      // The client hung up: nothing left to discard.
    }
  })();
}
