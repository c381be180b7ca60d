import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, expect, it, vi } from "vitest";
import { GET as metadataRoute } from "@/app/.well-known/oauth-authorization-server/route";
import { POST as tokenRoute } from "@/app/api/oauth/token/route";
import { GET as meRoute } from "@/app/api/v1/me/route";
import { getDb } from "@/lib/db/client";
import { s256 } from "@/lib/oauth-apps/app-secrets";
import { issueAuthorizationCode } from "@/lib/oauth-apps/authorize-application";
import type { AuthorizationParams } from "@/lib/oauth-apps/authorization-request";
import { FAILURE_MEMORY_MS, resolveMetadataDocumentClient } from "@/lib/oauth-apps/client-metadata-document";
import { MAX_DOCUMENT_BYTES } from "@/lib/oauth-apps/fetch-client-metadata-document";
import { nextAuthorizationStep } from "@/lib/oauth-apps/next-authorization-step";
import { createApplication, createApplicationSchema } from "@/lib/oauth-apps/create-application";
import { setApplicationStatus } from "@/lib/oauth-apps/set-application-status";
import { jsonDocument, startDocumentServer } from "../helpers/document-server";
import { createSessionCookie, createUser } from "../helpers/fixtures";
import { serveRouteHandlers } from "../helpers/serve-route-handlers";
import { describeOnEachDatabase } from "../helpers/test-database";

/*
 * Client ID Metadata Documents (issue 22): a client_id that is a URL, fetched from a local document server.
 * The SSRF rules refuse 127.0.0.1, so the suite runs with TESSERA_CLIENT_METADATA_ALLOW_PRIVATE=1 (test-only)
 * and switches it off for the private-address cases.
 *
 * Mutation checks (each made once, saw red, restored):
 * - client-metadata-document.ts: `if (document.client_id !== clientId) return …` removed → "lies about its client_id" fails (stored).
 * - client-metadata-document.ts: the `stored.metadataExpiresAt > now` early return removed → "cache" fails (2 hits, not 1).
 * - next-authorization-step.ts: the `registration !== "manual"` condition removed → "never pre-approved" fails (a redirect).
 */

const REDIRECT = "https://mcp-client.example/callback";
const ISSUER = "http://localhost:3000";
const verifier = () => randomBytes(32).toString("base64url");

describeOnEachDatabase("client id metadata documents", () => {
  let docs: Awaited<ReturnType<typeof startDocumentServer>>;
  let server: { url: string; close(): Promise<void> };

  beforeAll(async () => {
    docs = await startDocumentServer();
    server = await serveRouteHandlers({
      "POST /api/oauth/token": tokenRoute,
      "GET /api/v1/me": meRoute,
      "GET /.well-known/oauth-authorization-server": metadataRoute,
    });
  });
  afterAll(async () => {
    await docs?.close();
    await server?.close();
  });
  beforeEach(() => {
    vi.stubEnv("TESSERA_CLIENT_METADATA_ALLOW_PRIVATE", "1");
    return () => vi.unstubAllEnvs();
  });

  /** A fresh document path on the local server; `document` gets the URL as its client_id unless it sets one. */
  function publish(document: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    const path = `/clients/${randomBytes(4).toString("hex")}.json`;
    const url = `${docs.url}${path}`;
    docs.set(
      path,
      jsonDocument({ client_id: url, client_name: "MCP Inspector", redirect_uris: [REDIRECT], token_endpoint_auth_method: "none", ...document }, headers),
    );
    return { url, path };
  }

  function params(clientId: string, codeVerifier = verifier(), redirectUri = REDIRECT): AuthorizationParams {
    return {
      client_id: clientId,
      redirect_uri: redirectUri,
      response_type: "code",
      scope: "profile:read",
      state: "s1",
      code_challenge: s256(codeVerifier),
      code_challenge_method: "S256",
    };
  }

  async function signedIn() {
    const user = await createUser();
    await createSessionCookie(user.id);
    return user;
  }

  const stored = (clientId: string) => getDb().oAuthApplication.count({ where: { clientId } });

  async function expectErrorPage(clientId: string, pattern: RegExp) {
    const step = await nextAuthorizationStep(params(clientId), await signedIn(), { issuer: ISSUER, ip: null });
    expect(step.kind).toBe("error-page");
    if (step.kind === "error-page") expect(step.message).toMatch(pattern);
    expect(await stored(clientId)).toBe(0);
  }

  it("metadata advertises client_id_metadata_document_supported", async () => {
    const response = await fetch(`${server.url}/.well-known/oauth-authorization-server`);
    expect(await response.json()).toMatchObject({ client_id_metadata_document_supported: true, registration_endpoint: `${server.url}/api/oauth/register` });
  });

  it("happy path: the document is fetched and stored, consent is asked, the code redeems to a token that reads /api/v1/me", async () => {
    const { url, path } = publish({}, { "cache-control": "max-age=600" });
    const person = await signedIn();
    const codeVerifier = verifier();
    const step = await nextAuthorizationStep(params(url, codeVerifier), person, { issuer: ISSUER, ip: "203.0.113.9" });
    if (step.kind !== "consent") throw new Error(JSON.stringify(step));
    expect(step.request.app).toMatchObject({ clientId: url, name: "MCP Inspector", owner: null, registration: "metadata_document" });
    expect(docs.hits(path)).toBe(1);

    const row = await getDb().oAuthApplication.findUniqueOrThrow({ where: { clientId: url } });
    expect(row).toMatchObject({
      registration: "METADATA_DOCUMENT",
      ownerUserId: null,
      confidential: false,
      secretHash: null,
      redirectUris: [REDIRECT],
      status: "ACTIVE",
    });
    expect(row.metadataExpiresAt!.getTime() - row.metadataFetchedAt!.getTime()).toBe(600_000);
    expect(await getDb().auditEvent.count({ where: { action: "application.registered", detail: { path: ["clientId"], equals: url } } })).toBe(1);

    const code = await issueAuthorizationCode(person.id, step.request, { consented: true, ip: null });
    const token = await fetch(`${server.url}/api/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "authorization_code", code: code!, redirect_uri: REDIRECT, code_verifier: codeVerifier, client_id: url }),
    });
    expect(token.status).toBe(200);
    const tokens = (await token.json()) as { access_token: string; refresh_token: string };
    const me = await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ id: person.id, application: { clientId: url } });

    // A public client: a secret is refused, and so is the refresh without its client_id's match.
    const withSecret = await fetch(`${server.url}/api/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: tokens.refresh_token, client_id: url, client_secret: "tsr_as_anything" }),
    });
    expect(withSecret.status).toBe(401);
  });

  it("a signed-out visitor is sent to sign in first, and nothing is fetched on their behalf", async () => {
    const { url, path } = publish();
    const step = await nextAuthorizationStep(params(url), null, { issuer: ISSUER, ip: null });
    expect(step).toMatchObject({ kind: "sign-in", location: expect.stringMatching(/^\/signin\?callbackUrl=%2Foauth%2Fauthorize%3F/) });
    expect(docs.hits(path)).toBe(0);
    expect(await stored(url)).toBe(0);
  });

  it("is never pre-approved: a person who already granted it sees the consent screen again", async () => {
    const { url } = publish();
    const person = await signedIn();
    const first = await nextAuthorizationStep(params(url), person, { issuer: ISSUER, ip: null });
    if (first.kind !== "consent") throw new Error(first.kind);
    expect(await issueAuthorizationCode(person.id, first.request, { consented: true, ip: null })).toBeTruthy();
    const again = await nextAuthorizationStep(params(url), person, { issuer: ISSUER, ip: null });
    expect(again.kind).toBe("consent");
    if (again.kind === "consent") expect(again.granted).toEqual(["profile:read"]);

    // A hand-registered app with the same grant skips the screen, as before.
    const owner = await createUser();
    const created = await createApplication(owner.id, createApplicationSchema.parse({ name: "manual", redirectUris: [REDIRECT], confidential: false }), null);
    if (!created.ok) throw new Error(created.message);
    const manual = await nextAuthorizationStep(params(created.view.clientId), person, { issuer: ISSUER, ip: null });
    if (manual.kind !== "consent") throw new Error(manual.kind);
    await issueAuthorizationCode(person.id, manual.request, { consented: true, ip: null });
    expect((await nextAuthorizationStep(params(created.view.clientId), person, { issuer: ISSUER, ip: null })).kind).toBe("redirect");
  });

  it("cache: within max-age no fetch, after expiry a refetch that picks up the new document", async () => {
    const { url, path } = publish({ client_name: "Before" }, { "cache-control": "public, max-age=300" });
    const person = await signedIn();
    expect((await nextAuthorizationStep(params(url), person, { issuer: ISSUER, ip: null })).kind).toBe("consent");
    expect((await nextAuthorizationStep(params(url), person, { issuer: ISSUER, ip: null })).kind).toBe("consent");
    expect(docs.hits(path)).toBe(1);

    docs.set(
      path,
      jsonDocument({ client_id: url, client_name: "After", redirect_uris: [REDIRECT, "https://mcp-client.example/other"] }, { "cache-control": "no-store" }),
    );
    await getDb().oAuthApplication.update({ where: { clientId: url }, data: { metadataExpiresAt: new Date(Date.now() - 1000) } });
    const step = await nextAuthorizationStep(params(url, verifier(), "https://mcp-client.example/other"), person, { issuer: ISSUER, ip: null });
    if (step.kind !== "consent") throw new Error(JSON.stringify(step));
    expect(step.request.app.name).toBe("After");
    expect(docs.hits(path)).toBe(2);
    const row = await getDb().oAuthApplication.findUniqueOrThrow({ where: { clientId: url } });
    // no-store: kept for the minimum (60 s), not zero, so a client cannot make every request a fetch.
    expect(row.metadataExpiresAt!.getTime() - row.metadataFetchedAt!.getTime()).toBe(60_000);
    expect(await stored(url)).toBe(1);
  });

  it("a disabled client stays refused without a fetch, even after its copy expired", async () => {
    const { url, path } = publish();
    await nextAuthorizationStep(params(url), await signedIn(), { issuer: ISSUER, ip: null });
    const row = await getDb().oAuthApplication.findUniqueOrThrow({ where: { clientId: url } });
    await setApplicationStatus(row.id, "DISABLED", { type: "system" }, null);
    await getDb().oAuthApplication.update({ where: { id: row.id }, data: { metadataExpiresAt: new Date(0) } });
    const step = await nextAuthorizationStep(params(url), await signedIn(), { issuer: ISSUER, ip: null });
    expect(step).toMatchObject({ kind: "error-page", message: expect.stringMatching(/unknown to Tessera, or it has been disabled/) });
    expect(docs.hits(path)).toBe(1);
  });

  it("a redirect_uri the document does not list: the error page, never a redirect", async () => {
    const { url } = publish();
    const step = await nextAuthorizationStep(params(url, verifier(), "https://evil.example/cb"), await signedIn(), { issuer: ISSUER, ip: null });
    expect(step).toMatchObject({ kind: "error-page", message: expect.stringMatching(/redirect_uri/) });
  });

  it("bad documents: each answers Tessera's error page and stores nothing", async () => {
    const path = (name: string) => `/bad/${name}-${randomBytes(3).toString("hex")}.json`;
    const cases: [string, (url: string) => Parameters<typeof docs.set>[1], RegExp][] = [
      ["huge", (url) => jsonDocument({ client_id: url, redirect_uris: [REDIRECT], padding: "x".repeat(MAX_DOCUMENT_BYTES) }), /larger than 5120 bytes/],
      [
        "huge-chunked",
        () => (_request, response) => {
          response.writeHead(200, { "content-type": "application/json" });
          for (let i = 0; i < 10; i++) response.write("x".repeat(1024));
          response.end();
        },
        /larger than 5120 bytes/,
      ],
      ["redirect", () => (_request, response) => response.writeHead(302, { location: "http://169.254.169.254/latest/meta-data" }).end(), /redirect/],
      ["not-json", () => (_request, response) => response.writeHead(200, { "content-type": "text/html" }).end("<html>hello</html>"), /not JSON/],
      ["array", () => jsonDocument([1, 2]), /not a JSON object/],
      ["liar", () => jsonDocument({ client_id: "https://someone-else.example/client.json", redirect_uris: [REDIRECT] }), /client_id is not exactly/],
      ["no-redirects", (url) => jsonDocument({ client_id: url }), /redirect_uris/],
      ["bad-redirect", (url) => jsonDocument({ client_id: url, redirect_uris: ["http://evil.example/cb"] }), /redirect URI/],
      [
        "secret",
        (url) => jsonDocument({ client_id: url, redirect_uris: [REDIRECT], token_endpoint_auth_method: "client_secret_basic" }),
        /token_endpoint_auth_method/,
      ],
      ["with-secret", (url) => jsonDocument({ client_id: url, redirect_uris: [REDIRECT], client_secret: "s3cret" }), /client_secret/],
      ["server-error", () => (_request, response) => response.writeHead(500).end("{}"), /HTTP 500/],
      ["reset", () => (_request, _response, socket) => socket.destroy(), /connection failed/],
      [
        "truncated",
        () => (_request, response) => {
          response.writeHead(200, { "content-type": "application/json", "content-length": "100" });
          response.write('{"client_id":');
          setTimeout(() => response.socket?.destroy(), 20);
        },
        /connection failed|complete/,
      ],
    ];
    for (const [name, handler, pattern] of cases) {
      const p = path(name);
      const url = docs.url + p;
      docs.set(p, handler(url));
      await expectErrorPage(url, pattern);
    }
  });

  it("a failure is remembered for a minute: no refetch of a broken document on every request, then a fresh try", async () => {
    const p = `/broken/${randomBytes(4).toString("hex")}.json`;
    const url = docs.url + p;
    docs.set(p, (_request, response) => response.writeHead(500).end());
    await expectErrorPage(url, /HTTP 500/);
    await expectErrorPage(url, /HTTP 500/);
    expect(docs.hits(p)).toBe(1);
    docs.set(p, jsonDocument({ client_id: url, redirect_uris: [REDIRECT] }));
    expect(await resolveMetadataDocumentClient(url, { now: new Date(Date.now() + FAILURE_MEMORY_MS + 1000) })).toMatchObject({ ok: true });
    expect(docs.hits(p)).toBe(2);
  });

  it("slow and down: the fetch gives up within its time limit, and a closed port fails at once; nothing stored", async () => {
    const p = "/slow/client.json";
    const url = docs.url + p;
    let answer: (() => void) | undefined;
    docs.set(p, (_request, response) => {
      answer = () => response.writeHead(200).end(JSON.stringify({ client_id: url, redirect_uris: [REDIRECT] }));
    });
    const started = Date.now();
    const slow = await resolveMetadataDocumentClient(url, { timeoutMs: 300 });
    expect(slow).toMatchObject({ ok: false, reason: expect.stringMatching(/did not answer within 0.3 s/) });
    expect(Date.now() - started).toBeLessThan(2000);
    answer?.();
    expect(await stored(url)).toBe(0);

    const down = await startDocumentServer();
    const downUrl = `${down.url}/client.json`;
    await down.close();
    await expectErrorPage(downUrl, /connection failed/);
  });

  it("SSRF: without the test allowance, loopback, private and metadata addresses and plain http are refused before any connection", async () => {
    vi.stubEnv("TESSERA_CLIENT_METADATA_ALLOW_PRIVATE", "");
    const { path } = publish();
    const port = new URL(docs.url).port;
    await expectErrorPage(`https://127.0.0.1:${port}${path}`, /non-public address/);
    await expectErrorPage("https://169.254.169.254/latest/client.json", /non-public address/);
    await expectErrorPage("https://[::1]/client.json", /non-public address/);
    // A name that resolves to a private address (a rebinding resolver's first answer) is refused too.
    const rebinding = await resolveMetadataDocumentClient("https://docs.attacker.example/client.json", {
      resolve: async () => [{ address: "10.0.0.5", family: 4 }],
    });
    expect(rebinding).toMatchObject({ ok: false, reason: expect.stringMatching(/non-public address/) });
    // http is not a metadata document URL at all without the allowance.
    await expectErrorPage(`${docs.url}${path}`, /unknown to Tessera/);
    expect(docs.hits(path)).toBe(0);
  });

  it("client_id URLs the draft forbids are refused without a fetch", async () => {
    for (const url of [
      `${docs.url}/`,
      `${docs.url}/a/../client.json`,
      `${docs.url}/client.json#x`,
      `http://user:pw@127.0.0.1:1/client.json`,
      `${docs.url.toUpperCase()}/client.json`,
    ]) {
      const step = await nextAuthorizationStep(params(url), await signedIn(), { issuer: ISSUER, ip: null });
      expect(step.kind, url).toBe("error-page");
    }
  });
});
