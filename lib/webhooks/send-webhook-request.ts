import { type ClientRequest, request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction, Socket } from "node:net";
import { urlToHttpOptions } from "node:url";
import { resolveWebhookTarget, type ResolvedAddress, type WebhookResolver } from "./check-webhook-url";

export type AttemptOutcome = {
  ok: boolean;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  outcome: "success" | "http_error" | "timeout" | "network_error" | "refused_url" | "secret_unreadable";
  /** The start of the receiver's answer (RESPONSE_EXCERPT_BYTES, control characters removed), when it sent one. */
  responseBody?: string | null;
};

/** How much of an answer is kept for the delivery detail page. */
export const RESPONSE_EXCERPT_BYTES = 1024;

/** The kept start of an answer as text: invalid UTF-8 replaced, control characters (but newlines and tabs) dropped. */
export function responseExcerpt(chunks: Buffer[]): string | null {
  if (chunks.length === 0) return null;
  const text = Buffer.concat(chunks)
    .subarray(0, RESPONSE_EXCERPT_BYTES)
    .toString("utf8")
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "");
  return text.length ? text : null;
}

/** The answer's body is read and discarded up to this much: a receiver that streams more cannot hold a job. */
export const MAX_ANSWER_BYTES = 64 * 1024;

export type SendOptions = {
  timeoutMs: number;
  /** Tests only: a resolver that changes its answer (DNS rebinding). */
  resolve?: WebhookResolver;
  /** Tests only: which addresses count as public (a second loopback address standing in for the internet). */
  isAllowedAddress?: (address: string) => boolean;
};

/**
 * The socket's lookup, answering with the addresses the SSRF check already judged: the host name is resolved
 * once, so a resolver that says "public" to the check and "private" to the connect is never asked twice.
 * The URL keeps its host name, so the Host header and TLS SNI/certificate check stay the original name.
 */
function pinnedLookup(addresses: ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const wanted = options.family === 4 || options.family === 6 ? addresses.filter((entry) => entry.family === options.family) : addresses;
    if (wanted.length === 0) return callback(Object.assign(new Error("no checked address of the requested family"), { code: "ENOTFOUND" }), "", 0);
    if (options.all) return callback(null, wanted);
    return callback(null, wanted[0]!.address, wanted[0]!.family);
  };
}

/**
 * One POST: resolve and check once, connect to what was checked, no redirect followed, no connection reuse.
 * Success is a 2xx whose answer arrived whole (or MAX_ANSWER_BYTES of it) within timeoutMs. Every emitter the
 * attempt touches (request, socket, response) has an error listener that stays attached after the attempt has
 * settled, so a receiver that resets, sends a broken body or hangs ends this attempt and never the process.
 */
export async function sendWebhookRequest(rawUrl: string, body: string, headers: Record<string, string>, options: SendOptions): Promise<AttemptOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const target = await resolveWebhookTarget(rawUrl, options);
  if (!target.ok) return { ok: false, statusCode: null, durationMs: elapsed(), error: `URL refused: ${target.reason}`, outcome: "refused_url" };

  return new Promise<AttemptOutcome>((settle) => {
    let settled = false;
    const finish = (result: Omit<AttemptOutcome, "durationMs">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      settle({ ...result, durationMs: elapsed() });
      request.destroy(); // frees the socket; anything it emits from now on lands on the listeners below
    };
    const failed = (error: unknown, statusCode: number | null = null) => {
      const message = error instanceof Error ? error.message : String(error);
      finish({ ok: false, statusCode: null, error: (statusCode ? `HTTP ${statusCode}, then ${message}` : message).slice(0, 200), outcome: "network_error" });
    };

    const send = target.url.protocol === "https:" ? httpsRequest : httpRequest;
    let request: ClientRequest;
    try {
      request = send({
        ...urlToHttpOptions(target.url),
        method: "POST",
        agent: false,
        lookup: pinnedLookup(target.addresses),
        headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
      });
    } catch (error) {
      // A header Node refuses to send throws here, before any emitter exists.
      return settle({
        ok: false,
        statusCode: null,
        durationMs: elapsed(),
        error: (error instanceof Error ? error.message : String(error)).slice(0, 200),
        outcome: "network_error",
      });
    }
    const timer = setTimeout(
      () => finish({ ok: false, statusCode: null, error: `no answer within ${options.timeoutMs} ms`, outcome: "timeout" }),
      options.timeoutMs,
    );

    request.on("error", (error) => failed(error));
    request.on("socket", (socket: Socket) => socket.on("error", (error) => failed(error)));
    request.on("response", (response) => {
      const status = response.statusCode ?? 0;
      const kept: Buffer[] = [];
      let bytes = 0;
      const answered = () => {
        const ok = status >= 200 && status < 300;
        finish({ ok, statusCode: status, error: ok ? null : `HTTP ${status}`, outcome: ok ? "success" : "http_error", responseBody: responseExcerpt(kept) });
      };
      response.on("data", (chunk: Buffer) => {
        if (bytes < RESPONSE_EXCERPT_BYTES) kept.push(chunk.subarray(0, RESPONSE_EXCERPT_BYTES - bytes));
        bytes += chunk.length;
        if (bytes >= MAX_ANSWER_BYTES) answered();
      });
      response.on("end", answered);
      response.on("error", (error) => failed(error, status));
      response.on("close", () => {
        if (!response.complete) failed(new Error("the connection closed before the answer was complete"), status);
      });
    });
    request.end(body);
  });
}
