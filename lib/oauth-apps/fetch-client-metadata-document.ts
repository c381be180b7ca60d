import { lookup } from "node:dns/promises";
import { type ClientRequest, request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP, type LookupFunction, type Socket } from "node:net";
import { urlToHttpOptions } from "node:url";
import { isPublicAddress } from "@/lib/webhooks/webhook-address-policy";

/*
 * One GET of a client id metadata document (draft-ietf-oauth-client-id-metadata-document): a request anyone
 * can make Tessera send by naming a URL as client_id, so it gets the webhook sender's SSRF rules
 * (lib/webhooks/send-webhook-request.ts): the host is resolved once, every address must be public
 * (webhook-address-policy.ts), and the socket connects to exactly the addresses checked (no DNS rebinding).
 * No redirect is followed, no connection reused, at most MAX_DOCUMENT_BYTES are read and the whole exchange
 * (DNS included) ends within DOCUMENT_TIMEOUT_MS.
 *
 * TESSERA_CLIENT_METADATA_ALLOW_PRIVATE=1 is for tests and local development only: it lets the URL be http
 * and its host a loopback or private address (the tests serve documents from 127.0.0.1). It is deliberately
 * not TESSERA_WEBHOOK_ALLOW_PRIVATE: an operator who lets admins send webhooks to the internal network has
 * not agreed to let anonymous visitors make Tessera fetch from it.
 */

export const MAX_DOCUMENT_BYTES = 5 * 1024;
export const DOCUMENT_TIMEOUT_MS = 5_000;

export function clientMetadataPrivateAllowed(): boolean {
  return process.env.TESSERA_CLIENT_METADATA_ALLOW_PRIVATE === "1";
}

export type DocumentFetch = { ok: true; body: unknown; cacheControl: string | null } | { ok: false; reason: string };
export type DocumentFetchOptions = { timeoutMs?: number; resolve?: (host: string) => Promise<{ address: string; family: number }[]> };

type Checked = { address: string; family: 4 | 6 };

const systemResolver = (host: string) => lookup(host, { all: true, verbatim: true });

function pinnedLookup(addresses: Checked[]): LookupFunction {
  return (_hostname, options, callback) => {
    const wanted = options.family === 4 || options.family === 6 ? addresses.filter((entry) => entry.family === options.family) : addresses;
    if (wanted.length === 0) return callback(Object.assign(new Error("no checked address of the requested family"), { code: "ENOTFOUND" }), "", 0);
    if (options.all) return callback(null, wanted);
    return callback(null, wanted[0]!.address, wanted[0]!.family);
  };
}

async function resolveChecked(url: URL, resolve: NonNullable<DocumentFetchOptions["resolve"]>, deadline: Promise<never>): Promise<Checked[] | string> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  let addresses: Checked[];
  const literal = isIP(host);
  if (literal) addresses = [{ address: host, family: literal as 4 | 6 }];
  else {
    try {
      const answers = await Promise.race([resolve(host), deadline]);
      addresses = answers.flatMap((entry) => {
        const family = isIP(entry.address);
        return family ? [{ address: entry.address, family: family as 4 | 6 }] : [];
      });
    } catch (error) {
      return error instanceof DeadlineError ? error.message : "its host name does not resolve";
    }
  }
  if (addresses.length === 0) return "its host name does not resolve";
  if (!clientMetadataPrivateAllowed() && !addresses.every((entry) => isPublicAddress(entry.address)))
    return "its host is a loopback, private, link-local or otherwise non-public address";
  return addresses;
}

class DeadlineError extends Error {}

/** GETs `url` (already shape-checked by the caller) and parses it as JSON; every failure is a reason a person can read. */
export async function fetchClientMetadataDocument(url: URL, options: DocumentFetchOptions = {}): Promise<DocumentFetch> {
  const timeoutMs = options.timeoutMs ?? DOCUMENT_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(`it did not answer within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  deadline.catch(() => {}); // also rejects after the fetch has settled: never an unhandled rejection
  const abort = new AbortController();
  try {
    const addresses = await resolveChecked(url, options.resolve ?? systemResolver, deadline);
    if (typeof addresses === "string") return { ok: false, reason: addresses };
    return await Promise.race([get(url, addresses, abort.signal), deadline]);
  } catch (error) {
    if (error instanceof DeadlineError) return { ok: false, reason: error.message };
    throw error;
  } finally {
    clearTimeout(timer);
    abort.abort(); // a slow server's socket closes now, not when it finally answers
  }
}

function get(url: URL, addresses: Checked[], signal: AbortSignal): Promise<DocumentFetch> {
  return new Promise<DocumentFetch>((settle) => {
    let settled = false;
    let request: ClientRequest | undefined;
    const finish = (result: DocumentFetch) => {
      if (settled) return;
      settled = true;
      settle(result);
      request?.destroy(); // anything emitted from now on lands on the listeners below
    };
    const failed = (error: unknown) =>
      finish({ ok: false, reason: `the connection failed (${(error instanceof Error ? error.message : String(error)).slice(0, 120)})` });
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    try {
      request = send({
        ...urlToHttpOptions(url),
        method: "GET",
        agent: false,
        signal,
        lookup: pinnedLookup(addresses),
        headers: { accept: "application/json", "user-agent": "Tessera client metadata fetcher" },
      });
    } catch (error) {
      return failed(error);
    }
    request.on("error", failed);
    request.on("socket", (socket: Socket) => socket.on("error", failed));
    request.on("response", (response) => {
      response.on("error", failed);
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400) return finish({ ok: false, reason: `it answered HTTP ${status} (a redirect), and redirects are not followed` });
      if (status !== 200) return finish({ ok: false, reason: `it answered HTTP ${status}` });
      const declared = Number(response.headers["content-length"]);
      if (Number.isFinite(declared) && declared > MAX_DOCUMENT_BYTES) return finish({ ok: false, reason: `it is larger than ${MAX_DOCUMENT_BYTES} bytes` });
      const chunks: Buffer[] = [];
      let total = 0;
      response.on("data", (chunk: Buffer) => {
        total += chunk.length;
        if (total > MAX_DOCUMENT_BYTES) return finish({ ok: false, reason: `it is larger than ${MAX_DOCUMENT_BYTES} bytes` });
        chunks.push(chunk);
      });
      response.on("close", () => {
        if (!response.complete) failed(new Error("closed before the document was complete"));
      });
      response.on("end", () => {
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        } catch {
          return finish({ ok: false, reason: "it is not JSON" });
        }
        const cacheControl = response.headers["cache-control"];
        finish({ ok: true, body, cacheControl: typeof cacheControl === "string" ? cacheControl : null });
      });
    });
    request.end();
  });
}

export const MIN_CACHE_SECONDS = 60;
export const MAX_CACHE_SECONDS = 24 * 60 * 60;
export const DEFAULT_CACHE_SECONDS = 60 * 60;

/**
 * How long a fetched document may be used (RFC 9111 Cache-Control, the parts that matter here): max-age,
 * with no-store / no-cache meaning "as briefly as we allow". Bounded both ways: a client cannot make Tessera
 * fetch on every request, nor keep a stale document (its redirect URIs) for longer than a day.
 */
export function cacheSeconds(cacheControl: string | null): number {
  if (!cacheControl) return DEFAULT_CACHE_SECONDS;
  const directives = cacheControl
    .toLowerCase()
    .split(",")
    .map((part) => part.trim());
  if (directives.some((directive) => directive === "no-store" || directive === "no-cache")) return MIN_CACHE_SECONDS;
  const maxAge = directives.map((directive) => /^max-age=(\d{1,10})$/.exec(directive)?.[1]).find((value) => value !== undefined);
  if (maxAge === undefined) return DEFAULT_CACHE_SECONDS;
  return Math.min(MAX_CACHE_SECONDS, Math.max(MIN_CACHE_SECONDS, Number(maxAge)));
}
