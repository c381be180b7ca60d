import { Readable } from "node:stream";
import { Agent, request as undiciRequest, type Dispatcher } from "undici";
import { discardRest } from "@/lib/http/read-capped-body";
import { logger } from "@/lib/log/logger";
import type { FreshAccessToken } from "@/lib/provider-tokens/connection-state";
import { obtainAccessToken, type AccessTokenOutcome } from "@/lib/provider-tokens/obtain-access-token";
import { missingScopes } from "@/lib/connect/connect-scopes";
import { downstreamResponseHeaders, upstreamRequestHeaders } from "./proxy-headers";
import type { ExchangeState } from "@/lib/provider-tokens/read-exchange-state";
import { ProxyRefusal, refusalFor } from "./proxy-refusal";

/** Request bodies up to this size are held so the one retry after a 401 can resend them; larger ones stream once. */
export const REPLAYABLE_BODY_BYTES = 256 * 1024;
const METHODS_WITHOUT_BODY = new Set(["GET", "HEAD"]);

/** One call to a provider's API as a person, after the caller's own checks (who may ask, for whom, which path). */
export type ProviderCall = {
  userId: string;
  /** A catalogue id (sign-in or connect-only). */
  provider: string;
  /** The provider's API base (getProviderApiBase). */
  base: string;
  /** The raw path under the base, e.g. `/me` (percent-escapes as sent; checkProxyPath already passed). */
  path: string;
  /** The raw query string with its `?`, or "". */
  search: string;
  method: string;
  /** The caller's headers: only the allow-listed ones go upstream (proxy-headers.ts). */
  headers: Headers;
  body: ReadableStream<Uint8Array> | null;
  /** A service acting for the person: the person's block of it is checked in the same read. Null: an application, whose grant is checked by its bearer check. */
  service: { id: string } | null;
  /** With a service: the block, connection and token, already read for this person at this provider (the service door's statement). */
  state?: ExchangeState;
  limits: { maxBodyBytes: number; timeoutMs: number };
  /** Accounts for the call once the provider answered (its status) or never did (null). */
  account: (status: number | null) => Promise<void>;
  /** Names this call in every log line about it (a stream that breaks after the status line has no other trace). */
  requestId: string;
  /**
   * Issue 23 §3: provider scopes this call needs (a service's allow-list entry may name them). When the person's grant
   * lacks some, the call is refused before the provider is asked, with a link the person can open to grant them.
   */
  needs?: { scopes: readonly string[]; connectLink: (missing: string[]) => Promise<string> };
};

class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body exceeds ${limit} bytes`);
  }
}

class UpstreamTimeoutError extends Error {
  constructor(readonly ms: number) {
    super(`provider did not answer within ${ms} ms`);
  }
}

// One keep-alive pool per process for every provider call (on globalThis: Next may load this module twice).
const holder = globalThis as unknown as { tesseraProxyAgent?: Agent };
function agent(): Agent {
  holder.tesseraProxyAgent ??= new Agent({ keepAliveTimeout: 10_000, connections: 256 });
  return holder.tesseraProxyAgent;
}

/**
 * The proxy's core, shared by /api/proxy (a service acting for a person) and /mcp (an application the
 * person authorized): obtains the person's fresh token through the one door, then forwards to the
 * provider's API, streaming both bodies, and gives back the provider's answer minus credential-bearing
 * headers. A 401 from the provider refreshes once (single flight) and retries once. Refusals are
 * ProxyRefusal (an ApiError). The token never leaves this function.
 */
export async function forwardProviderCall(call: ProviderCall): Promise<Response> {
  const { userId, provider, limits, account, requestId } = call;
  // The one door, as in the token exchange: the block (for a service), the connection and its stored
  // access token in one read; no refresh due → no further query before the provider call.
  const first = tokenOf(await obtainAccessToken(userId, provider, call.service ? { for: call.service, state: call.state } : {}));
  const missing = call.needs ? missingScopes(first.scopes, call.needs.scopes) : [];
  if (missing.length) {
    const link = await call.needs!.connectLink(missing);
    throw new ProxyRefusal(
      "insufficient_scope",
      `The person has not granted ${missing.join(" ")} at ${provider}; send them to ${link} to grant it.`,
      "insufficient_scope",
      { "tessera-connect-uri": link, "www-authenticate": `Bearer error="insufficient_scope", scope="${missing.join(" ")}"` },
    );
  }

  const url = upstreamUrl(call.base, call.path, call.search);
  const body = METHODS_WITHOUT_BODY.has(call.method) || !call.body ? null : await prepareBody(call.body, limits.maxBodyBytes);

  let answer = await send(url, call, first.accessToken, body, limits, account, requestId);
  if (answer.statusCode === 401) {
    // The provider refused the token: refresh once (through the lease, as everywhere) and try once more.
    const retry = await obtainAccessToken(userId, provider, { rejectedAccessToken: first.accessToken })
      .then(tokenOf)
      .catch(async (error: unknown) => {
        await answer.dispose();
        throw error;
      });
    if (!body || body.replay) {
      await answer.dispose();
      answer = await send(url, call, retry.accessToken, body, limits, account, requestId);
    }
    // A streamed body was consumed by the first attempt: its 401 goes back; the caller's own retry finds the new token.
  }
  await account(answer.statusCode);
  return answer.toResponse(call.method === "HEAD");
}

/** The token, or the refusal the one door's outcome calls for (the same words as the token exchange). */
function tokenOf(outcome: AccessTokenOutcome): FreshAccessToken {
  if (outcome.status === "ok") return outcome.token;
  if (outcome.status === "blocked")
    throw new ProxyRefusal("access_denied_by_user", "This person blocked this service from acting for them at this provider.", "blocked");
  throw refusalFor(outcome);
}

/** Base + raw path + raw query; the result must still be under the base (checkProxyPath already refused anything that could climb). */
function upstreamUrl(base: string, path: string, search: string): string {
  const url = `${base}${path === "/" ? "" : path}${search}`;
  const parsed = new URL(url);
  const baseUrl = new URL(base);
  if (parsed.origin !== baseUrl.origin || !(parsed.pathname === baseUrl.pathname || parsed.pathname.startsWith(`${baseUrl.pathname.replace(/\/$/, "")}/`))) {
    throw new ProxyRefusal("invalid_path", "The path leaves the provider's API.", "invalid_request");
  }
  return url;
}

type PreparedBody = {
  /** The whole body when it fits in REPLAYABLE_BODY_BYTES (sent again on the retry). */
  replay: Buffer | null;
  /** The body to send once (streams the rest, counting against the limit). */
  stream: () => Readable | Buffer;
};

/** Reads at most REPLAYABLE_BODY_BYTES ahead; a larger body streams on, never held whole, refused past the limit. */
async function prepareBody(stream: ReadableStream<Uint8Array>, limit: number): Promise<PreparedBody> {
  const reader = stream.getReader();
  const head: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      const whole = Buffer.concat(head);
      return { replay: whole, stream: () => whole };
    }
    size += value.byteLength;
    if (size > limit) {
      // Not cancelled: that would destroy the service's socket before the 413 is written (lib/http/read-capped-body.ts).
      discardRest(reader);
      throw new ProxyRefusal("payload_too_large", `Request bodies are at most ${limit} bytes.`, "too_large");
    }
    head.push(value);
    if (size > REPLAYABLE_BODY_BYTES) break;
  }
  let used = false;
  return {
    replay: null,
    stream: () => {
      if (used) throw new Error("a streamed body can be sent once");
      used = true;
      const readable = Readable.from(
        (async function* () {
          yield* head;
          let total = size;
          for (;;) {
            const { value, done } = await reader.read();
            if (done) return;
            total += value.byteLength;
            if (total > limit) {
              discardRest(reader);
              throw new BodyTooLargeError(limit);
            }
            yield value;
          }
        })(),
        { objectMode: false },
      );
      // undici listens while it sends; an error after it stopped (the provider answered early, the
      // client hung up) must still reach a listener, or it stops the process.
      readable.on("error", ignoreStreamError);
      return readable;
    },
  };
}

/**
 * For a stream error whose consequence is already handled elsewhere (the call failed, the answer was cut off).
 * An EventEmitter's 'error' with no listener is thrown as an uncaught exception: one request's broken stream
 * would stop the process.
 */
function ignoreStreamError(): void {}

type Answer = { statusCode: number; dispose(): Promise<void>; toResponse(head: boolean): Response };

/**
 * One provider call. The timer covers the whole exchange, the response body included; an upstream
 * that is slow, unreachable or over the size limit becomes Tessera's own 504/502/413 (and is counted).
 */
async function send(
  url: string,
  input: ProviderCall,
  accessToken: string,
  body: PreparedBody | null,
  limits: { maxBodyBytes: number; timeoutMs: number },
  account: (status: number | null) => Promise<void>,
  requestId: string,
): Promise<Answer> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new UpstreamTimeoutError(limits.timeoutMs)), limits.timeoutMs);
  const headers = upstreamRequestHeaders(input.headers, accessToken);
  let upstream: Dispatcher.ResponseData;
  try {
    upstream = await undiciRequest(url, {
      method: input.method as Dispatcher.HttpMethod,
      headers,
      body: body ? body.stream() : undefined,
      signal: controller.signal,
      dispatcher: agent(),
      headersTimeout: limits.timeoutMs,
      bodyTimeout: limits.timeoutMs,
    });
  } catch (error) {
    clearTimeout(timer);
    const cause = controller.signal.aborted ? controller.signal.reason : error;
    if (cause instanceof BodyTooLargeError || (error as { cause?: unknown })?.cause instanceof BodyTooLargeError) {
      await account(null);
      throw new ProxyRefusal("payload_too_large", `Request bodies are at most ${limits.maxBodyBytes} bytes.`, "too_large");
    }
    await account(null);
    if (cause instanceof UpstreamTimeoutError || (error as { code?: string })?.code === "UND_ERR_HEADERS_TIMEOUT") {
      throw new ProxyRefusal("upstream_timeout", `The provider did not answer within ${limits.timeoutMs} ms.`, "timeout");
    }
    // The message only: never the request (its headers hold the token).
    logger.warn(
      { requestId, provider: input.provider, reason: error instanceof Error ? error.message : String(error) },
      "provider API proxy: provider unreachable",
    );
    throw new ProxyRefusal("upstream_unreachable", "The provider could not be reached.", "unreachable");
  }

  // From here on every way of ending the body (drained, dumped, destroyed by us or by the peer) meets a listener:
  // undici's destroy() without an error on an unread body emits RequestAbortedError, which with no
  // listener stopped the whole process (HEAD, 204, 304, a client that hung up).
  upstream.body.on("error", ignoreStreamError);
  /** Reads and discards what is left (nothing, for HEAD/204/304) so the connection goes back to the pool; a larger rest closes it. */
  const discard = () => {
    clearTimeout(timer);
    void upstream.body.dump({ limit: 64 * 1024 }).catch(ignoreStreamError);
  };

  const declared = Number(upstream.headers["content-length"] ?? "0");
  if (declared > limits.maxBodyBytes && input.method !== "HEAD") {
    clearTimeout(timer);
    upstream.body.destroy();
    await account(null);
    throw new ProxyRefusal("upstream_response_too_large", `The provider's answer exceeds ${limits.maxBodyBytes} bytes.`, "too_large");
  }

  return {
    statusCode: upstream.statusCode,
    async dispose() {
      clearTimeout(timer);
      await upstream.body.dump({ limit: 64 * 1024 }).catch(ignoreStreamError);
    },
    toResponse(head) {
      const responseHeaders = downstreamResponseHeaders(upstream.headers);
      if (head || upstream.statusCode === 204 || upstream.statusCode === 304) {
        discard();
        return new Response(null, { status: upstream.statusCode, headers: responseHeaders });
      }
      const iterator = upstream.body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
      let total = 0;
      let cancelled = false;
      const stream = new ReadableStream<Uint8Array>({
        async pull(controllerOut) {
          try {
            const { value, done } = await iterator.next();
            if (done) {
              clearTimeout(timer);
              return controllerOut.close();
            }
            total += value.byteLength;
            if (total > limits.maxBodyBytes) throw new Error("provider answer over the size limit");
            controllerOut.enqueue(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
          } catch (error) {
            clearTimeout(timer);
            upstream.body.destroy();
            // The service hung up while this pull waited (cancel() below said so): nothing was cut off by the provider.
            if (cancelled) return;
            // The message only: never the request (its headers hold the token).
            logger.warn(
              {
                requestId,
                provider: input.provider,
                status: upstream.statusCode,
                bytesSent: total,
                reason: error instanceof Error ? error.message : String(error),
              },
              "provider API proxy: answer cut off mid-body",
            );
            // The status line is gone already: the service sees a cut-off body, never a partial "success".
            controllerOut.error(error);
          }
        },
        cancel() {
          // The service hung up mid-body: stop reading from the provider.
          cancelled = true;
          clearTimeout(timer);
          upstream.body.destroy();
          logger.info(
            { requestId, provider: input.provider, status: upstream.statusCode, bytesSent: total },
            "provider API proxy: the service hung up mid-body",
          );
        },
      });
      return new Response(stream, { status: upstream.statusCode, headers: responseHeaders });
    },
  };
}
