import { NextRequest } from "next/server";
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { ApiError } from "../http/api-error";
import { MAX_JSON_BODY_BYTES, readJsonBody } from "./read-json-body";
import { parseJsonBody } from "./with-api";

const encoder = new TextEncoder();

/** A chunked body (no Content-Length): `chunks` pieces of `size` bytes each, counting how many were pulled. */
function chunkedStream(chunk: string, chunks: number) {
  const bytes = encoder.encode(chunk);
  const state = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (state.pulled >= chunks) return controller.close();
      state.pulled++;
      controller.enqueue(bytes);
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

function post(body: BodyInit | null, headers: Record<string, string> = { "content-type": "application/json" }) {
  return new NextRequest("http://localhost:3000/api/tokens", { method: "POST", headers, body, duplex: "half" } as ConstructorParameters<typeof NextRequest>[1]);
}

async function failure(promise: Promise<unknown>): Promise<{ status: number; code: string }> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return { status: (error as ApiError).status, code: (error as ApiError).code };
}

describe("readJsonBody", () => {
  it("cuts a chunked body with no Content-Length off at 64 KiB with 413, and throws the rest away instead of keeping it", async () => {
    // 1 MiB of valid JSON in 1 KiB chunks: request.json() would buffer it all and accept it.
    const { stream, state } = chunkedStream("x".repeat(1024), 1024);
    const request = post(stream);
    expect(request.headers.get("content-length")).toBeNull();
    const answered = parseJsonBody(request, z.unknown()).then(
      () => null,
      (error: unknown) => ({ error, pulledWhenAnswered: state.pulled }),
    );
    const result = await answered;
    expect(result?.error).toBeInstanceOf(ApiError);
    expect((result!.error as ApiError).status).toBe(413);
    // Answered at the limit, not after reading the whole body...
    expect(result!.pulledWhenAnswered).toBeLessThanOrEqual(MAX_JSON_BODY_BYTES / 1024 + 8);
    // ...whose rest is read off the connection and dropped (lib/http/read-capped-body.ts, discardRest), not cancelled:
    // cancelling resets the client's connection before it reads the 413.
    await vi.waitFor(() => expect(state.pulled).toBe(1024));
    expect(state.cancelled).toBe(false);
  });

  it("stops an endless stream (which request.json() would wait on forever): 413 at once, the rest cancelled after 16 MiB", async () => {
    const { stream, state } = chunkedStream(" ".repeat(64 * 1024), Number.POSITIVE_INFINITY);
    expect(await failure(parseJsonBody(post(stream), z.unknown()))).toEqual({ status: 413, code: "payload_too_large" });
    await vi.waitFor(() => expect(state.cancelled).toBe(true));
    expect(state.pulled).toBeLessThanOrEqual(16 * 16 + 4);
  });

  it("does not trust a Content-Length that understates the body", async () => {
    const body = JSON.stringify({ name: "y".repeat(100 * 1024) });
    const { stream } = chunkedStream(body, 1);
    const request = post(stream, { "content-type": "application/json", "content-length": "10" });
    expect(await failure(readJsonBody(request))).toEqual({ status: 413, code: "payload_too_large" });
  });

  it("refuses a declared Content-Length over the limit before reading", async () => {
    // The body itself is small valid JSON: only the declared length can make this a 413.
    const { stream } = chunkedStream("{}", 1);
    const request = post(stream, { "content-type": "application/json", "content-length": String(MAX_JSON_BODY_BYTES + 1) });
    expect(await failure(readJsonBody(request))).toEqual({ status: 413, code: "payload_too_large" });
  });

  it("accepts a body of exactly the limit, and JSON content types with parameters or a +json suffix", async () => {
    const padded = JSON.stringify({ a: "" }).length;
    const exact = JSON.stringify({ a: "z".repeat(MAX_JSON_BODY_BYTES - padded) });
    expect(encoder.encode(exact).byteLength).toBe(MAX_JSON_BODY_BYTES);
    expect(await readJsonBody(post(exact))).toEqual({ a: "z".repeat(MAX_JSON_BODY_BYTES - padded) });
    expect(await readJsonBody(post('{"b":1}', { "content-type": "Application/JSON; charset=utf-8" }))).toEqual({ b: 1 });
    expect(await readJsonBody(post('{"c":2}', { "content-type": "application/merge-patch+json" }))).toEqual({ c: 2 });
    // A byte-order mark is not an error (request.json() accepts it too).
    expect(await readJsonBody(post(new Uint8Array([0xef, 0xbb, 0xbf, ...encoder.encode("[1]")])))).toEqual([1]);
  });

  it("answers a wrong or missing content type with 415", async () => {
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonp", ""]) {
      const headers: Record<string, string> = type ? { "content-type": type } : {};
      const request = new NextRequest("http://localhost:3000/api/tokens", { method: "POST", headers, body: new Blob(['{"a":1}'], { type }) });
      expect(await failure(readJsonBody(request)), type).toEqual({ status: 415, code: "unsupported_media_type" });
    }
  });

  it("answers an empty body, invalid JSON and invalid UTF-8 with 400", async () => {
    expect(await failure(readJsonBody(post(null)))).toEqual({ status: 400, code: "invalid_json" });
    expect(await failure(readJsonBody(post("")))).toEqual({ status: 400, code: "invalid_json" });
    expect(await failure(readJsonBody(post("{not json")))).toEqual({ status: 400, code: "invalid_json" });
    expect(await failure(readJsonBody(post(new Uint8Array([0x22, 0xff, 0xfe, 0x22]))))).toEqual({ status: 400, code: "invalid_json" });
  });

  it("answers a body stream that errors midway with 400, not an unhandled throw", async () => {
    let sent = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent) return controller.error(new Error("client went away"));
        sent = true;
        controller.enqueue(encoder.encode('{"a":'));
      },
    });
    expect(await failure(readJsonBody(post(stream)))).toEqual({ status: 400, code: "invalid_json" });
  });
});
