import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { OAuthClientProvider, OAuthDiscoveryState } from "@modelcontextprotocol/sdk/client/auth.js";
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";
import type { FetchLike } from "@modelcontextprotocol/sdk/shared/transport.js";
import { recordTestTokens } from "./issued-tokens";

/*
 * The pieces an MCP client built on the official TypeScript SDK brings (e2e/mcp-sdk-auth.spec.ts): a loopback
 * redirect listener on a port the OS picks (RFC 8252 §7.3), and an OAuthClientProvider that keeps everything
 * in memory. Every code and token it sees is recorded for the log scan (log-scan.spec.ts).
 */

export type LoopbackCallback = { redirectUrl: string; received: Promise<URL>; close(): Promise<void> };

/** Listens on 127.0.0.1:<random>/callback for one authorization response. */
export async function startLoopbackCallback(): Promise<LoopbackCallback> {
  let deliver!: (url: URL) => void;
  const received = new Promise<URL>((resolve) => (deliver = resolve));
  let base = "";
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", base);
    if (url.pathname !== "/callback") return void res.writeHead(404).end();
    const code = url.searchParams.get("code");
    if (code) recordTestTokens(code);
    res.writeHead(200, { "content-type": "text/html" }).end('<p id="result">Authorized. You can close this page.</p>');
    deliver(url);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    redirectUrl: `${base}/callback`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** An in-memory OAuthClientProvider whose "browser" is the test: redirectToAuthorization keeps the URL for Playwright. */
export class MemoryOAuthProvider implements OAuthClientProvider {
  authorizationUrl: URL | null = null;
  readonly sentState = randomBytes(16).toString("base64url");
  clientMetadataUrl?: string;
  private information: OAuthClientInformationMixed | undefined;
  private stored: OAuthTokens | undefined;
  private verifier: string | undefined;
  private discovery: OAuthDiscoveryState | undefined;

  constructor(
    readonly redirectUrl: string,
    readonly clientMetadata: OAuthClientMetadata,
    options: { clientInformation?: OAuthClientInformationMixed; clientMetadataUrl?: string } = {},
  ) {
    this.information = options.clientInformation;
    this.clientMetadataUrl = options.clientMetadataUrl;
  }

  state() {
    return this.sentState;
  }
  clientInformation() {
    return this.information;
  }
  saveClientInformation(information: OAuthClientInformationMixed) {
    this.information = information;
  }
  tokens() {
    return this.stored;
  }
  saveTokens(tokens: OAuthTokens) {
    recordTestTokens(tokens.access_token, tokens.refresh_token ?? "");
    this.stored = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    if (!this.verifier) throw new Error("no code verifier saved");
    return this.verifier;
  }
  // Kept with the verifier: SDK v2 checks on the callback leg that the code goes to the authorization server it was
  // discovered from (SEP-2352), and warns when a provider cannot tell it.
  saveDiscoveryState(state: OAuthDiscoveryState) {
    this.discovery = state;
  }
  discoveryState() {
    return this.discovery;
  }
}

export type RecordedRequest = { method: string; url: string; form: URLSearchParams | null; status: number };

/** A fetch for the SDK that notes each request it makes (URL, form parameters, status), never printing them. */
export function recordingFetch(): { fetchFn: FetchLike; requests: RecordedRequest[] } {
  const requests: RecordedRequest[] = [];
  const fetchFn: FetchLike = async (input, init) => {
    const response = await fetch(input, init);
    const body = init?.body;
    requests.push({
      method: init?.method ?? "GET",
      url: String(input),
      form: body instanceof URLSearchParams ? new URLSearchParams(body) : null,
      status: response.status,
    });
    return response;
  };
  return { fetchFn, requests };
}

/*
 * A client ID metadata document host: https on 127.0.0.1 with the test-only certificate in ./cimd-tls (the SDK
 * accepts only an https client_id URL). Tessera fetches from it only when the server under test trusts that
 * certificate (NODE_EXTRA_CA_CERTS) and allows loopback document hosts (TESSERA_CLIENT_METADATA_ALLOW_PRIVATE=1).
 */
export const CIMD_TLS_DIR = path.resolve("e2e/support/cimd-tls");

export async function startClientMetadataHost(
  document: (clientId: string) => Record<string, unknown>,
): Promise<{ clientId: string; fetches: () => number; close(): Promise<void> }> {
  let fetches = 0;
  let clientId = "";
  const server = createHttpsServer(
    { key: readFileSync(path.join(CIMD_TLS_DIR, "key.pem")), cert: readFileSync(path.join(CIMD_TLS_DIR, "cert.pem")) },
    (req, res) => {
      if (req.url !== "/client.json") return void res.writeHead(404).end();
      fetches += 1;
      res.writeHead(200, { "content-type": "application/json", "cache-control": "max-age=300" }).end(JSON.stringify(document(clientId)));
    },
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  clientId = `https://127.0.0.1:${(server.address() as AddressInfo).port}/client.json`;
  return { clientId, fetches: () => fetches, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
