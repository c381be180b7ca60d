import { randomBytes } from "node:crypto";
import { Client as ModernClient, StreamableHTTPClientTransport as ModernTransport, type ElicitRequestURLParams } from "@modelcontextprotocol/client";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import fc from "fast-check";
import { afterAll, afterEach, beforeAll, expect, it, vi } from "vitest";
import { GET as mcpMetadataRoute } from "@/app/.well-known/oauth-protected-resource/mcp/route";
import { POST as tokenRoute } from "@/app/api/oauth/token/route";
import { GET as meRoute } from "@/app/api/v1/me/route";
import { DELETE as mcpDelete, GET as mcpGet, POST as mcpPost } from "@/app/mcp/route";
import { getDb } from "@/lib/db/client";
import { logger } from "@/lib/log/logger";
import { s256 } from "@/lib/oauth-apps/app-secrets";
import { issueAuthorizationCode } from "@/lib/oauth-apps/authorize-application";
import { validateAuthorizationRequest } from "@/lib/oauth-apps/authorization-request";
import { listAuthorizedApplications, revokeApplicationGrant } from "@/lib/oauth-apps/authorized-applications";
import { createApplication, createApplicationSchema } from "@/lib/oauth-apps/create-application";
import { setApplicationStatus } from "@/lib/oauth-apps/set-application-status";
import { findConnectRequest } from "@/lib/connect/find-connect-request";
import { obtainTokensByCodeFlow } from "@/lib/idp/testing/obtain-tokens-by-code-flow";
import { storeSignInTokens } from "@/lib/provider-tokens/store-sign-in-tokens";
import { DEMO_CLIENT_IDS } from "@/lib/providers/catalog";
import { PROVIDER_SCOPES } from "@/lib/oauth-apps/provider-scopes";
import { listAssistantUsage } from "@/lib/connections/list-assistant-usage";
import { connectedUser } from "../helpers/connected-user";
import { startDemoIdpForFile, TEST_APP_URL, TEST_IDP_SECRET } from "../helpers/demo-idp";
import { createSessionCookie, createTokenAsUser, createUser } from "../helpers/fixtures";
import { serveRouteHandlers } from "../helpers/serve-route-handlers";
import { describeOnEachDatabase } from "../helpers/test-database";

/*
 * Issue 24: Tessera as an MCP server, through the real route handlers over HTTP, with the official SDK's
 * Client and StreamableHTTPClientTransport as the assistant: v1 (@modelcontextprotocol/sdk, a 2025-11-25 client:
 * the initialize handshake) for most tests, v2 (@modelcontextprotocol/client pinned to 2026-07-28: server/discover
 * and the per-request envelope) for the current revision. Tokens are obtained the way an app obtains them
 * (authorization code + PKCE at the token endpoint, `resource=<server>/mcp`).
 *
 * Mutation checks (each made once, saw red, restored):
 * - lib/mcp/authenticate-mcp-request.ts: `|| !result.app` removed → "… and a PAT at /mcp" fails (a PAT opened /mcp).
 * - lib/mcp/scopes-needed-by.ts: answering [] (no step-up challenge) → "read scope" fails (a tool error instead of the 403).
 * - lib/mcp/create-mcp-server.ts: connectPrompt always "tool-error" → both connect-on-first-use 2026-07-28 tests fail;
 *   without the "already answered" condition → "without URL elicitation" fails (the SDK client gives up after 10 rounds).
 */

const REDIRECT = "https://app.example/callback";
type Tokens = { access_token: string; refresh_token: string; scope: string };

describeOnEachDatabase("MCP endpoint (/mcp)", () => {
  const idp = startDemoIdpForFile();
  let server: { url: string; close(): Promise<void> };
  let ownerId: string;
  /** Every provider credential planted in this file: none may appear in a result, an error, an audit row or a log line. */
  const secrets: string[] = [];
  /** Everything an MCP client received. */
  const received: string[] = [];

  beforeAll(async () => {
    server = await serveRouteHandlers({
      "POST /api/oauth/token": tokenRoute,
      "GET /.well-known/oauth-protected-resource/mcp": mcpMetadataRoute,
      "GET /api/v1/me": meRoute,
      "POST /mcp": mcpPost,
      "GET /mcp": mcpGet,
      "DELETE /mcp": mcpDelete,
    });
    ownerId = (await createUser()).id;
  });
  afterAll(async () => server?.close());
  afterEach(() => {
    Object.assign(idp().faults, { apiDelayMs: 0, apiStatus: null, apiRetryAfter: null, apiHeaders: {} });
    delete process.env.PROXY_TIMEOUT_MS;
    delete process.env.MCP_CALLS_PER_MINUTE;
  });

  async function newApp() {
    const created = await createApplication(
      ownerId,
      createApplicationSchema.parse({ name: `assistant-${randomBytes(3).toString("hex")}`, redirectUris: [REDIRECT], confidential: false }),
      null,
    );
    if (!created.ok) throw new Error(created.message);
    return { id: created.view.id, clientId: created.view.clientId, name: created.view.name };
  }

  /** The person authorizes the app for `scopes` at `resource` (consent given), and the app redeems the code. */
  async function authorize(userId: string, app: { clientId: string }, scopes: string[], resource = "/mcp"): Promise<Tokens> {
    const verifier = randomBytes(32).toString("base64url");
    const validation = await validateAuthorizationRequest(
      {
        client_id: app.clientId,
        redirect_uri: REDIRECT,
        response_type: "code",
        scope: scopes.join(" "),
        code_challenge: s256(verifier),
        code_challenge_method: "S256",
        resource: `${server.url}${resource}`,
      },
      server.url,
    );
    if (!validation.ok) throw new Error(JSON.stringify(validation));
    // A code is issued only to a person with a live session (the consent screen's condition).
    await createSessionCookie(userId);
    const code = await issueAuthorizationCode(userId, validation.request, { consented: true, ip: null });
    const response = await fetch(`${server.url}/api/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "authorization_code", code: code!, redirect_uri: REDIRECT, code_verifier: verifier, client_id: app.clientId }),
    });
    const tokens = (await response.json()) as Tokens;
    if (!tokens.access_token) throw new Error(JSON.stringify(tokens));
    return tokens;
  }

  async function connected(provider: "google" | "github" | "microsoft-entra-id" = "github") {
    const result = await connectedUser(idp(), provider);
    secrets.push(result.tokens.access_token, result.tokens.refresh_token ?? "", result.tokens.id_token ?? "");
    return result;
  }

  async function connect(accessToken: string): Promise<Client> {
    const client = new Client({ name: "test-assistant", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${accessToken}` } } }),
    );
    return client;
  }

  /** A 2026-07-28 client (SDK v2, pinned: connecting fails unless the server offers that revision), every request noted. */
  async function connectModern(accessToken: string, options: { onUrlElicitation?: (params: ElicitRequestURLParams) => Promise<void> } = {}) {
    const requests: { method: string; protocolVersion: string | null; mcpMethod: string | null }[] = [];
    const client = new ModernClient(
      { name: "modern-assistant", version: "1.0.0" },
      {
        versionNegotiation: { mode: { pin: "2026-07-28" } },
        capabilities: options.onUrlElicitation ? { elicitation: { url: {} } } : {},
      },
    );
    if (options.onUrlElicitation) {
      const onUrl = options.onUrlElicitation;
      client.setRequestHandler("elicitation/create", async (request) => {
        if (request.params.mode !== "url") return { action: "decline" };
        await onUrl(request.params);
        return { action: "accept" };
      });
    }
    const transport = new ModernTransport(new URL(`${server.url}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${accessToken}` } },
      fetch: async (input, init) => {
        const headers = new Headers(init?.headers);
        const body = typeof init?.body === "string" ? (JSON.parse(init.body) as { method?: string }) : {};
        requests.push({ method: body.method ?? "", protocolVersion: headers.get("mcp-protocol-version"), mcpMethod: headers.get("mcp-method") });
        return fetch(input, init);
      },
    });
    await client.connect(transport);
    return { client, requests };
  }

  /** The person connects `provider` at the demo IdP (what they do on the connect page), for an existing user. */
  async function connectProvider(user: { id: string; email: string | null }, provider: "google" | "github") {
    const tokens = await obtainTokensByCodeFlow({
      issuer: idp().issuer,
      clientId: DEMO_CLIENT_IDS[provider],
      clientSecret: TEST_IDP_SECRET,
      redirectUri: `${TEST_APP_URL}/api/auth/callback/${provider}`,
      login: user.email!.split("@")[0]!,
      scope: provider === "github" ? "read:user repo" : "openid email profile offline_access",
    });
    secrets.push(tokens.access_token, tokens.refresh_token ?? "", tokens.id_token ?? "");
    await storeSignInTokens(user.id, provider, {
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token,
      idToken: tokens.id_token,
      expiresAt: new Date(Date.now() + tokens.expires_in * 1000),
      scopes: tokens.scope?.split(" "),
      tokenType: tokens.token_type,
    });
  }

  async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
    const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
    received.push(JSON.stringify(result));
    return result;
  }
  /** The 2026-07-28 per-request envelope a raw request carries (what the SDK's client attaches). */
  const envelope = () => ({
    "io.modelcontextprotocol/protocolVersion": "2026-07-28",
    "io.modelcontextprotocol/clientInfo": { name: "raw", version: "1.0.0" },
    "io.modelcontextprotocol/clientCapabilities": {},
  });
  const textOf = (result: CallToolResult) => result.content.map((item) => (item.type === "text" ? item.text : "")).join("\n");

  /** A raw JSON-RPC POST, as a client that is not the SDK sends one. */
  async function post(body: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${server.url}/mcp`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers },
      body,
    });
    const text = await response.text();
    received.push(`${response.status} ${JSON.stringify([...response.headers])} ${text}`);
    return { status: response.status, headers: response.headers, text };
  }

  it("without a token: 401 naming the metadata, which names Tessera as the server and the MCP scopes", async () => {
    const answer = await post(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }));
    expect(answer.status).toBe(401);
    const metadataUrl = `${server.url}/.well-known/oauth-protected-resource/mcp`;
    expect(answer.headers.get("www-authenticate")).toBe(
      `Bearer realm="tessera", scope="connections:read provider:google:read provider:microsoft-entra-id:read provider:github:read", resource_metadata="${metadataUrl}"`,
    );
    const metadata = (await (await fetch(metadataUrl)).json()) as Record<string, unknown>;
    expect(PROVIDER_SCOPES.slice(0, 6)).toEqual([
      "provider:google:read",
      "provider:google:write",
      "provider:microsoft-entra-id:read",
      "provider:microsoft-entra-id:write",
      "provider:github:read",
      "provider:github:write",
    ]);
    expect(PROVIDER_SCOPES).toContain("provider:slack:write");
    expect(metadata).toEqual({
      resource: `${server.url}/mcp`,
      authorization_servers: [server.url],
      // Read and write for every catalogue provider: the sign-in three first, then the connect-only ones (issue 23).
      scopes_supported: ["connections:read", ...PROVIDER_SCOPES],
      bearer_methods_supported: ["header"],
      resource_name: "Tessera MCP",
    });
  });

  it("provider scopes are granted for /mcp only, and the API's scopes never there", async () => {
    const app = await newApp();
    const person = await createUser();
    await expect(authorize(person.id, app, ["provider:github:read"], "/api/v1")).rejects.toThrow(/invalid_scope/);
    await expect(authorize(person.id, app, ["profile:read"])).rejects.toThrow(/invalid_scope/);
    expect((await authorize(person.id, app, ["provider:github:read", "connections:read"])).scope.split(" ").sort()).toEqual([
      "connections:read",
      "provider:github:read",
    ]);
  });

  it("a token for the API is refused at /mcp, a token for /mcp at the API, and a PAT at /mcp", async () => {
    const app = await newApp();
    const person = await createUser();
    const api = await authorize(person.id, app, ["profile:read"], "/api/v1");
    const mcp = await authorize(person.id, app, ["connections:read"]);
    const list = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" });
    const refused = await post(list, { authorization: `Bearer ${api.access_token}` });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toContain('error="invalid_token"');
    expect(refused.headers.get("www-authenticate")).toContain(`resource_metadata="${server.url}/.well-known/oauth-protected-resource/mcp"`);
    const atApi = await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${mcp.access_token}` } });
    expect(atApi.status).toBe(401);
    const pat = await createTokenAsUser({ id: person.id, role: "USER" }, { name: "pat", scopes: ["connections:read", "profile:read"], expiresInDays: 1 });
    if (!pat.ok) throw new Error(pat.message);
    expect((await post(list, { authorization: `Bearer ${pat.token}` })).status).toBe(401);
    // The /mcp token itself works.
    expect((await post(list, { authorization: `Bearer ${mcp.access_token}` })).status).toBe(200);
  });

  it("whoami, list_connections and call_provider_api against the demo API, each one audit event", async () => {
    const { user } = await connected("github");
    const app = await newApp();
    const tokens = await authorize(user.id, app, ["connections:read", "provider:github:read"]);
    const client = await connect(tokens.access_token);
    expect((await client.listTools()).tools.map((tool) => tool.name).sort()).toEqual(["call_provider_api", "list_connections", "whoami"]);

    const whoami = await call(client, "whoami");
    expect(whoami.structuredContent).toEqual({
      person: { id: user.id, name: user.name, email: user.email },
      client: { clientId: app.clientId, name: app.name },
      scopes: expect.arrayContaining(["connections:read", "provider:github:read"]),
    });

    const connections = (await call(client, "list_connections")).structuredContent as { connections: Record<string, unknown>[] };
    expect(connections.connections.find((c) => c.provider === "github")).toMatchObject({
      apiAccess: true,
      needsReconnect: false,
      clientMay: "read",
      providerScopes: expect.arrayContaining(["repo"]),
    });
    expect(connections.connections.find((c) => c.provider === "google")).toMatchObject({ apiAccess: false, clientMay: "none" });

    // The connection's "last used" moves when an assistant calls the API (since issue 26 recorded by the same
    // statement that reads the connection, read-exchange-state.ts; seen red with its `used` CTE made a no-op).
    await getDb().providerConnection.updateMany({ where: { userId: user.id, provider: "github" }, data: { lastUsedAt: null } });
    const me = await call(client, "call_provider_api", { provider: "github", method: "GET", path: "/me" });
    expect(me.isError).toBeFalsy();
    expect((await getDb().providerConnection.findFirstOrThrow({ where: { userId: user.id, provider: "github" } })).lastUsedAt).not.toBeNull();
    expect(me.structuredContent).toMatchObject({
      status: 200,
      headers: { "content-type": expect.stringContaining("application/json") },
      body: { login: user.email!.split("@")[0] },
    });
    const page = await call(client, "call_provider_api", { provider: "github", method: "GET", path: "/items", query: { page: 2 } });
    expect(page.structuredContent).toMatchObject({ status: 200, headers: { link: expect.stringContaining("page=3") } });
    expect(idp().api.last?.search).toBe("?page=2");
    await client.close();

    const events = await getDb().auditEvent.findMany({
      where: { action: "application.mcp_tool_called", subjectUserId: user.id },
      orderBy: { createdAt: "asc" },
    });
    expect(events.map((event) => (event.detail as { tool: string }).tool)).toEqual(["whoami", "list_connections", "call_provider_api", "call_provider_api"]);
    expect(events[2]).toMatchObject({ actorType: "application", actorId: app.id, provider: "github" });
    expect(events[2]!.detail).toMatchObject({ clientId: app.clientId, method: "GET", path: "/me", status: 200, outcome: "ok" });
    // "Who used my access" on /settings/connections lists the assistant under the provider it called.
    expect((await listAssistantUsage(user.id)).github).toEqual([expect.objectContaining({ applicationId: app.id, name: app.name, calls: 2 })]);
  });

  it("revision 2026-07-28 (SDK v2 client): server/discover, the per-request envelope, the same tools and audit", async () => {
    const { user } = await connected("github");
    const app = await newApp();
    const tokens = await authorize(user.id, app, ["connections:read", "provider:github:read"]);
    const { client, requests } = await connectModern(tokens.access_token);
    expect(client.getServerVersion()).toMatchObject({ name: "tessera" });
    expect((await client.listTools()).tools.map((tool) => tool.name).sort()).toEqual(["call_provider_api", "list_connections", "whoami"]);
    const whoami = (await client.callTool({ name: "whoami", arguments: {} })) as CallToolResult;
    received.push(JSON.stringify(whoami));
    expect(whoami.structuredContent).toMatchObject({ person: { id: user.id }, client: { clientId: app.clientId } });
    const me = (await client.callTool({ name: "call_provider_api", arguments: { provider: "github", method: "GET", path: "/me" } })) as CallToolResult;
    received.push(JSON.stringify(me));
    expect(me.structuredContent).toMatchObject({ status: 200, body: { login: user.email!.split("@")[0] } });
    // No initialize handshake: every request names the revision in its header (and its envelope, which the SDK checks).
    expect(requests.map((request) => request.method)).not.toContain("initialize");
    expect(requests.map((request) => request.method)).toContain("server/discover");
    expect(new Set(requests.map((request) => request.protocolVersion))).toEqual(new Set(["2026-07-28"]));
    expect(requests.find((request) => request.method === "tools/call")?.mcpMethod).toBe("tools/call");
    await client.close();

    const events = await getDb().auditEvent.findMany({
      where: { action: "application.mcp_tool_called", subjectUserId: user.id },
      orderBy: { createdAt: "asc" },
    });
    expect(events.map((event) => (event.detail as { tool: string; outcome: string }).outcome)).toEqual(["ok", "ok"]);

    // A step-up is the same HTTP 403 on this revision (the door answers before the SDK sees the call).
    const write = await post(
      JSON.stringify({
        jsonrpc: "2.0",
        id: 3,
        method: "tools/call",
        params: { name: "call_provider_api", arguments: { provider: "github", method: "POST", path: "/echo" }, _meta: envelope() },
      }),
      { authorization: `Bearer ${tokens.access_token}`, "mcp-protocol-version": "2026-07-28", "mcp-method": "tools/call", "mcp-name": "call_provider_api" },
    );
    expect(write.status).toBe(403);
    expect(write.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
  });

  it("connect on first use as a URL elicitation (2026-07-28, client declares elicitation.url): the person connects, the retry succeeds", async () => {
    const { user } = await connected("github");
    const app = await newApp();
    const tokens = await authorize(user.id, app, ["provider:google:read"]);
    const asked: ElicitRequestURLParams[] = [];
    const { client } = await connectModern(tokens.access_token, {
      onUrlElicitation: async (params) => {
        asked.push(params);
        // The person opens the link: it is Tessera's connect page for this person and Google; they connect.
        const id = /\/connect\/([A-Za-z0-9]+)$/.exec(params.url)![1]!;
        expect(await findConnectRequest(id, user.id)).toMatchObject({ ok: true, request: { provider: "google", requestedByName: app.name } });
        await connectProvider(user, "google");
      },
    });
    const result = (await client.callTool({ name: "call_provider_api", arguments: { provider: "google", method: "GET", path: "/me" } })) as CallToolResult;
    received.push(JSON.stringify(result));
    expect(result.isError, JSON.stringify(result)).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ status: 200 });
    expect(asked).toHaveLength(1);
    expect(asked[0]!.url.startsWith(`${server.url}/connect/`)).toBe(true);
    expect(asked[0]!.message).toContain(`${app.name} needs your Google account`);
    await client.close();
    // Two rounds of the one call, each in the trail: the first asked to connect, the retry reached Google.
    const events = await getDb().auditEvent.findMany({
      where: { action: "application.mcp_tool_called", subjectUserId: user.id },
      orderBy: { createdAt: "asc" },
    });
    expect(events.map((event) => (event.detail as { outcome: string }).outcome)).toEqual(["not_connected", "ok"]);
  });

  it("connect on first use without URL elicitation: a 2026-07-28 client that did not declare it, and one that answered but did not connect, get the link in a tool error", async () => {
    const { user } = await connected("github");
    const app = await newApp();
    const tokens = await authorize(user.id, app, ["provider:google:read"]);
    const plain = await connectModern(tokens.access_token);
    const result = (await plain.client.callTool({
      name: "call_provider_api",
      arguments: { provider: "google", method: "GET", path: "/me" },
    })) as CallToolResult;
    received.push(JSON.stringify(result));
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain(`${server.url}/connect/`);
    await plain.client.close();

    // Declared, shown to the person, not followed: the retry carries the answer, and the link comes as a tool error (no loop).
    let shown = 0;
    const declined = await connectModern(tokens.access_token, { onUrlElicitation: async () => void (shown += 1) });
    const again = (await declined.client.callTool({
      name: "call_provider_api",
      arguments: { provider: "google", method: "GET", path: "/me" },
    })) as CallToolResult;
    received.push(JSON.stringify(again));
    expect(shown).toBe(1);
    expect(again.isError).toBe(true);
    expect(textOf(again)).toMatch(/connect Google, then call again: http\S+\/connect\//);
    await declined.client.close();
  });

  it("read scope: a write is a 403 insufficient_scope naming what to step up to; with write scope it runs", async () => {
    const { user } = await connected("github");
    const app = await newApp();
    const read = await authorize(user.id, app, ["provider:github:read"]);
    const client = await connect(read.access_token);
    const refused = await post(
      JSON.stringify({
        jsonrpc: "2.0",
        id: 7,
        method: "tools/call",
        params: { name: "call_provider_api", arguments: { provider: "github", method: "POST", path: "/echo", body: { a: 1 } } },
      }),
      { authorization: `Bearer ${read.access_token}`, "mcp-protocol-version": "2025-11-25" },
    );
    expect(refused.status).toBe(403);
    expect(refused.headers.get("www-authenticate")).toBe(
      `Bearer realm="tessera", error="insufficient_scope", scope="provider:github:read provider:github:write", resource_metadata="${server.url}/.well-known/oauth-protected-resource/mcp"`,
    );
    // The SDK's client without an auth provider sees the 403 as an error; nothing reached the provider.
    const before = idp().api.requests;
    await expect(client.callTool({ name: "call_provider_api", arguments: { provider: "github", method: "DELETE", path: "/items/1" } })).rejects.toThrow();
    expect(idp().api.requests).toBe(before);
    await client.close();

    const write = await authorize(user.id, app, ["provider:github:write"]);
    const writer = await connect(write.access_token);
    const echoed = await call(writer, "call_provider_api", { provider: "github", method: "POST", path: "/echo", body: { hello: "world" } });
    expect(echoed.structuredContent).toMatchObject({ status: 200, body: { hello: "world" } });
    // A string body goes as it is, with the content type the assistant names.
    const raw = await call(writer, "call_provider_api", {
      provider: "github",
      method: "PUT",
      path: "/echo",
      body: '{"as":"sent"}',
      headers: { "Content-Type": "application/json" },
    });
    expect(raw.structuredContent).toMatchObject({ status: 200, body: { as: "sent" } });
    await writer.close();
  });

  it("connect on first use: no API access for the provider → a tool error carrying Tessera's connect URL", async () => {
    const { user } = await connected("github");
    const app = await newApp();
    const tokens = await authorize(user.id, app, ["provider:google:read"]);
    const client = await connect(tokens.access_token);
    const result = await call(client, "call_provider_api", { provider: "google", method: "GET", path: "/me" });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain(`${server.url}/connect/`);
    expect(textOf(result)).toMatch(/connect Google/);
    // The link is a real connect request, bound to this person: another signed-in person is refused there.
    const id = /\/connect\/([A-Za-z0-9]+)/.exec(textOf(result))![1]!;
    expect(await findConnectRequest(id, user.id)).toMatchObject({
      ok: true,
      request: { provider: "google", requestedByKind: "application", requestedByName: app.name },
    });
    const stranger = await createUser();
    expect(await findConnectRequest(id, stranger.id)).toEqual({ ok: false, failure: "other_person" });
    expect(await getDb().notification.count({ where: { userId: user.id, kind: "connection.scopes_requested" } })).toBe(1);
    await client.close();
  });

  it("connect-only providers of the catalogue (issue 23) have scopes too: Slack with nothing connected → its connect link", async () => {
    const { user } = await connected("github");
    const app = await newApp();
    const client = await connect((await authorize(user.id, app, ["provider:slack:read"])).access_token);
    const result = await call(client, "call_provider_api", { provider: "slack", method: "GET", path: "/conversations.list" });
    expect(result.isError).toBe(true);
    const id = /\/connect\/([A-Za-z0-9]+)/.exec(textOf(result))![1]!;
    expect(await findConnectRequest(id, user.id)).toMatchObject({ ok: true, request: { provider: "slack", providerLabel: "Slack" } });
    // A Slack read scope is no GitHub scope: the HTTP 403 step-up names the one to ask for.
    await expect(call(client, "call_provider_api", { provider: "github", method: "GET", path: "/me" })).rejects.toThrow(/needs provider:github:read/);
    await client.close();
  });

  it("the provider down or slow, binary and oversized answers: tool errors and cut results, never a 5xx", async () => {
    const { user } = await connected("github");
    const app = await newApp();
    const client = await connect((await authorize(user.id, app, ["provider:github:write"])).access_token);

    process.env.PROXY_TIMEOUT_MS = "300";
    idp().faults.apiDelayMs = 2000;
    const slow = await call(client, "call_provider_api", { provider: "github", method: "GET", path: "/me" });
    expect(slow.isError).toBe(true);
    expect(textOf(slow)).toMatch(/GitHub is down or slow: The provider did not answer within 300 ms/);
    delete process.env.PROXY_TIMEOUT_MS;
    idp().faults.apiDelayMs = 0;

    idp().faults.apiStatus = 503;
    const failing = await call(client, "call_provider_api", { provider: "github", method: "GET", path: "/me" });
    expect(failing).toMatchObject({ isError: true, structuredContent: { status: 503, body: { error: "fault" } } });
    idp().faults.apiStatus = null;

    const binary = await call(client, "call_provider_api", { provider: "github", method: "GET", path: "/bytes", query: { n: 1000 } });
    expect(binary.isError).toBe(true);
    expect(textOf(binary)).toContain("binary content (application/octet-stream)");

    const big = await call(client, "call_provider_api", { provider: "github", method: "POST", path: "/echo", body: { data: "y".repeat(400 * 1024) } });
    expect(big.structuredContent).toMatchObject({ status: 200, truncated: true });
    expect(textOf(big)).toContain("[cut: GitHub's answer is larger than 262144 bytes");
    expect(textOf(big).length).toBeLessThan(300 * 1024);
    await client.close();
  });

  it("the person stays in charge: a revoked grant and a disabled app stop the next call", async () => {
    const { user } = await connected("github");
    const app = await newApp();
    const client = await connect((await authorize(user.id, app, ["provider:github:read"])).access_token);
    expect((await call(client, "whoami")).isError).toBeFalsy();
    const [grant] = await listAuthorizedApplications(user.id);
    expect(await revokeApplicationGrant(user.id, grant!.grantId, { type: "user", id: user.id }, null)).toBe(true);
    await expect(client.callTool({ name: "whoami", arguments: {} })).rejects.toThrow(/invalid, expired or revoked/);

    const other = await newApp();
    const second = await connect((await authorize(user.id, other, ["provider:github:read"])).access_token);
    expect((await call(second, "whoami")).isError).toBeFalsy();
    expect(await setApplicationStatus(other.id, "DISABLED", { type: "admin", id: ownerId }, null)).toBe(true);
    await expect(second.callTool({ name: "whoami", arguments: {} })).rejects.toThrow(/invalid, expired or revoked/);
  });

  it("rate limit per grant, shared in the database: over the limit a tool error says when to retry", async () => {
    const { user } = await connected("github");
    const app = await newApp();
    const client = await connect((await authorize(user.id, app, ["provider:github:read"])).access_token);
    process.env.MCP_CALLS_PER_MINUTE = "2";
    expect((await call(client, "whoami")).isError).toBeFalsy();
    expect((await call(client, "whoami")).isError).toBeFalsy();
    const limited = await call(client, "whoami");
    expect(limited.isError).toBe(true);
    expect(textOf(limited)).toMatch(/Too many calls from this client for this person; try again in \d+ s/);
    // Another client of the same person has its own budget.
    const other = await connect((await authorize(user.id, await newApp(), ["provider:github:read"])).access_token);
    expect((await call(other, "whoami")).isError).toBeFalsy();
    await client.close();
    await other.close();
  });

  it("DNS rebinding: a browser Origin other than Tessera's own is refused; Tessera's own and none pass", async () => {
    const { user } = await connected("github");
    const tokens = await authorize(user.id, await newApp(), ["provider:github:read"]);
    const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" });
    const auth = { authorization: `Bearer ${tokens.access_token}` };
    expect((await post(body, { ...auth, origin: "http://evil.example" })).status).toBe(403);
    expect((await post(body, { origin: "http://evil.example" })).status).toBe(403);
    expect((await post(body, { ...auth, origin: server.url })).status).toBe(200);
    expect((await post(body, auth)).status).toBe(200);
  });

  it("bad input: malformed JSON, unknown tools, bad arguments and fuzzed arguments are JSON-RPC or tool errors, never a 5xx", async () => {
    const { user } = await connected("github");
    const tokens = await authorize(user.id, await newApp(), ["connections:read", "provider:github:write"]);
    const auth = { authorization: `Bearer ${tokens.access_token}`, "mcp-protocol-version": "2025-11-25" };
    const notJson = await post("{not json", auth);
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.text)).toMatchObject({ jsonrpc: "2.0", error: { code: -32700 } });
    const getAnswer = await fetch(`${server.url}/mcp`, { headers: { ...auth, accept: "text/event-stream" } });
    expect(getAnswer.status).toBe(405);

    const client = await connect(tokens.access_token);
    // An unknown tool is a JSON-RPC error (-32602) from SDK v2 (v1 answered a tool error): either is no 5xx.
    await expect(client.callTool({ name: "no_such_tool", arguments: {} })).rejects.toThrow(/no_such_tool not found/);
    expect(await call(client, "call_provider_api", { provider: "myspace", method: "GET", path: "/me" })).toMatchObject({ isError: true });
    expect(await call(client, "call_provider_api", { provider: "github", method: "GET", path: "/../../admin" })).toMatchObject({ isError: true });
    expect(await call(client, "call_provider_api", { provider: "github", method: "GET", path: "/me", headers: { authorization: "Bearer x" } })).toMatchObject({
      isError: true,
    });
    await client.close();

    const argument = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.string(), { maxLength: 3 }),
      fc.dictionary(fc.string(), fc.string()),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("whoami", "list_connections", "call_provider_api", "nope"),
        fc.record(
          {
            provider: fc.oneof(fc.constantFrom("github", "google", "microsoft-entra-id"), argument),
            method: fc.oneof(fc.constantFrom("GET", "HEAD", "POST", "DELETE", "get"), argument),
            path: fc.oneof(
              fc.constantFrom("/me", "/items", "/%2e%2e/x", "//x", "/me?x=1"),
              fc.string().map((s) => `/${s}`),
              argument,
            ),
            query: fc.oneof(fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer())), argument),
            body: argument,
            headers: fc.oneof(fc.dictionary(fc.constantFrom("accept", "cookie", "x-github-api-version", "Host"), fc.string()), argument),
          },
          { requiredKeys: [] },
        ),
        async (name, args) => {
          const answer = await post(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name, arguments: args } }), auth);
          expect(answer.status).toBeLessThan(500);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("leak guard: no provider token value appears in any tool result, error text, audit row or log line", async () => {
    const spies = [
      ...(["debug", "info", "warn", "error"] as const).map((level) => vi.spyOn(logger, level)),
      ...(["log", "info", "warn", "error"] as const).map((level) => vi.spyOn(console, level)),
    ];
    try {
      const { user, tokens } = await connected("github");
      const client = await connect((await authorize(user.id, await newApp(), ["connections:read", "provider:github:write"])).access_token);
      await call(client, "list_connections");
      await call(client, "call_provider_api", { provider: "github", method: "GET", path: "/me" });
      await call(client, "call_provider_api", {
        provider: "github",
        method: "POST",
        path: "/echo",
        body: { echo: "hi" },
        headers: { accept: "application/json" },
      });
      // The person's own token sent back by a confused assistant comes back only as the provider echoes it: never Tessera's doing.
      process.env.PROXY_TIMEOUT_MS = "200";
      idp().faults.apiDelayMs = 1000;
      await call(client, "call_provider_api", { provider: "github", method: "GET", path: "/me" });
      idp().faults.apiDelayMs = 0;
      idp().faults.apiStatus = 401;
      await call(client, "call_provider_api", { provider: "github", method: "GET", path: "/me" });
      await client.close();
      expect(tokens.access_token.length).toBeGreaterThan(10);

      const rows = await getDb().auditEvent.findMany({ where: { subjectUserId: { not: null } } });
      const logged = spies.flatMap((spy) => spy.mock.calls.map((args) => JSON.stringify(args)));
      const everything = [...received, ...rows.map((row) => JSON.stringify(row)), ...logged].join("\n");
      for (const secret of secrets.filter((value) => value.length > 10)) expect(everything).not.toContain(secret);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });
});
