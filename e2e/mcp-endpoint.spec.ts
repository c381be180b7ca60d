import { expect, test } from "@playwright/test";
import {
  Client as ModernClient,
  StreamableHTTPClientTransport as ModernTransport,
  UnauthorizedError as ModernUnauthorizedError,
} from "@modelcontextprotocol/client";
import { UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { completeIdpLogin } from "./support/app";
import { MemoryOAuthProvider, startLoopbackCallback } from "./support/mcp-client";

/*
 * Issue 24's proof in a browser: the official SDK's MCP client (Streamable HTTP transport with its OAuth
 * provider) is pointed at `<base>/mcp` and nothing else. Twice: SDK v1 (@modelcontextprotocol/sdk, revision
 * 2025-11-25, the initialize handshake; connect on first use is a tool error with the link) and SDK v2
 * (@modelcontextprotocol/client pinned to 2026-07-28; it declares URL-mode elicitation, so connect on first use
 * asks it to open the link and the call is retried by the SDK). Its first request is refused with 401; it discovers
 * Tessera from the resource_metadata link, registers itself (RFC 7591), and sends the person through sign-in
 * (GitHub at the demo IdP, which gives Tessera API access to GitHub) and a consent screen that says what each
 * scope means. Then it lists the tools, says who it acts for, lists connections, calls the demo GitHub API as
 * the person, meets connect-on-first-use for Google (never connected), completes it in the browser and retries;
 * then the person revokes the assistant and its next call is refused.
 */

const text = (result: CallToolResult) => result.content.map((item) => (item.type === "text" ? item.text : "")).join("\n");

test("an MCP client discovers /mcp, registers, gets consent in Chromium, and calls whoami, list_connections and call_provider_api", async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const base = baseURL!;
  const mcpUrl = new URL(`${base}/mcp`);
  const callback = await startLoopbackCallback();
  try {
    const provider = new MemoryOAuthProvider(callback.redirectUrl, {
      client_name: "E2E Assistant",
      redirect_uris: [callback.redirectUrl],
      token_endpoint_auth_method: "none",
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
    });
    const first = new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider });
    await expect(new Client({ name: "e2e-assistant", version: "1.0.0" }).connect(first)).rejects.toBeInstanceOf(UnauthorizedError);
    const authorizationUrl = provider.authorizationUrl!;
    expect(authorizationUrl.searchParams.get("resource")).toBe(mcpUrl.href);
    expect(authorizationUrl.searchParams.get("scope")?.split(" ")).toContain("provider:github:read");

    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(authorizationUrl.href);
    await page.waitForURL("**/signin?**");
    await page.getByRole("button", { name: "Continue with GitHub" }).click();
    await completeIdpLogin(page, "mcp-endpoint-person");
    await page.waitForURL("**/oauth/authorize?**");
    await expect(page.getByTestId("consent-app-name")).toHaveText("E2E Assistant");
    await expect(page.getByText("Read your GitHub data through Tessera")).toBeVisible();
    await page.getByRole("button", { name: "Authorize E2E Assistant" }).click();
    await page.waitForURL(`${callback.redirectUrl}?**`);
    const response = await callback.received;
    await first.finishAuth(response.searchParams.get("code")!);

    const client = new Client({ name: "e2e-assistant", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider }));
    expect((await client.listTools()).tools.map((tool) => tool.name).sort()).toEqual(["call_provider_api", "list_connections", "whoami"]);

    const whoami = (await client.callTool({ name: "whoami", arguments: {} })) as CallToolResult;
    expect(whoami.structuredContent).toMatchObject({ person: { email: "mcp-endpoint-person@example.com" }, client: { name: "E2E Assistant" } });

    const connections = (await client.callTool({ name: "list_connections", arguments: {} })) as CallToolResult;
    const github = (connections.structuredContent as { connections: { provider: string; apiAccess: boolean; clientMay: string }[] }).connections.find(
      (connection) => connection.provider === "github",
    );
    expect(github).toMatchObject({ apiAccess: true, clientMay: "read" });

    const me = (await client.callTool({ name: "call_provider_api", arguments: { provider: "github", method: "GET", path: "/me" } })) as CallToolResult;
    expect(me.isError).toBeFalsy();
    expect(me.structuredContent).toMatchObject({ status: 200, body: { login: "mcp-endpoint-person" } });

    const google = (await client.callTool({ name: "call_provider_api", arguments: { provider: "google", method: "GET", path: "/me" } })) as CallToolResult;
    expect(google.isError).toBe(true);
    const connectUrl = /(http\S+\/connect\/[A-Za-z0-9]+)/.exec(text(google))![1]!;
    expect(connectUrl.startsWith(`${base}/connect/`)).toBe(true);

    // Connect on first use, completed: the person opens the link, sees which assistant asks, and connects Google.
    await page.goto(connectUrl);
    await expect(page.getByRole("heading", { name: "Connect Google" })).toBeVisible();
    await expect(page.getByText("E2E Assistant asks to act for you at Google")).toBeVisible();
    await page.getByRole("button", { name: "Continue to Google" }).click();
    await completeIdpLogin(page, "mcp-endpoint-person");
    await page.waitForURL("**/settings/connections?notice=connected**");
    const retried = (await client.callTool({ name: "call_provider_api", arguments: { provider: "google", method: "GET", path: "/me" } })) as CallToolResult;
    expect(retried.isError, text(retried)).toBeFalsy();
    expect(retried.structuredContent).toMatchObject({ status: 200 });
    // The person sees the assistant under "who used my access".
    await page.goto(`${base}/settings/connections`);
    await expect(page.getByTestId("connection-github").getByTestId("assistant-usage")).toContainText("E2E Assistant");

    // Through the real server (middleware skips /mcp bodies as it skips API bodies): an oversized request is a 413, not a 500.
    const oversized = await fetch(mcpUrl, {
      method: "POST",
      headers: {
        authorization: `Bearer ${provider.tokens()!.access_token}`,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
      },
      body: "x".repeat(5 * 1024 * 1024),
    });
    expect(oversized.status).toBe(413);

    // The person revokes the assistant in the UI: its very next call is refused.
    await page.goto(`${base}/settings/applications/authorized`);
    await page.getByTestId("authorized-E2E Assistant").getByRole("button", { name: "Revoke", exact: true }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Revoke access" }).click();
    await expect(page.getByText("No authorized applications")).toBeVisible();
    const refused = await fetch(mcpUrl, {
      method: "POST",
      headers: {
        authorization: `Bearer ${provider.tokens()!.access_token}`,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 9, method: "tools/list" }),
    });
    expect(refused.status, "the revoked assistant's token is refused at once").toBe(401);
    await expect(client.callTool({ name: "whoami", arguments: {} })).rejects.toThrow();
    await client.close().catch(() => {});
    await context.close();
  } finally {
    await callback.close();
  }
});

test("an SDK v2 client on revision 2026-07-28: OAuth from a 401, consent, tools, connect on first use as a URL elicitation the person completes in Chromium, then a revoked grant", async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const base = baseURL!;
  const mcpUrl = new URL(`${base}/mcp`);
  const callback = await startLoopbackCallback();
  const context = await browser.newContext();
  try {
    const provider = new MemoryOAuthProvider(callback.redirectUrl, {
      client_name: "E2E Modern Assistant",
      redirect_uris: [callback.redirectUrl],
      token_endpoint_auth_method: "none",
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
    });
    const newClient = () =>
      new ModernClient(
        { name: "e2e-modern-assistant", version: "1.0.0" },
        { versionNegotiation: { mode: { pin: "2026-07-28" } }, capabilities: { elicitation: { url: {} } } },
      );
    const first = new ModernTransport(mcpUrl, { authProvider: provider });
    await expect(newClient().connect(first)).rejects.toBeInstanceOf(ModernUnauthorizedError);
    const authorizationUrl = provider.authorizationUrl!;
    expect(authorizationUrl.searchParams.get("resource")).toBe(mcpUrl.href);

    const page = await context.newPage();
    await page.goto(authorizationUrl.href);
    await page.waitForURL("**/signin?**");
    await page.getByRole("button", { name: "Continue with GitHub" }).click();
    await completeIdpLogin(page, "mcp-modern-person");
    await page.waitForURL("**/oauth/authorize?**");
    await expect(page.getByTestId("consent-app-name")).toHaveText("E2E Modern Assistant");
    await page.getByRole("button", { name: "Authorize E2E Modern Assistant" }).click();
    await page.waitForURL(`${callback.redirectUrl}?**`);
    await first.finishAuth((await callback.received).searchParams);

    const client = newClient();
    // The person at the keyboard: a URL elicitation opens the page in Chromium, and they connect the provider there.
    const shown: string[] = [];
    client.setRequestHandler("elicitation/create", async (request) => {
      if (request.params.mode !== "url") return { action: "decline" };
      shown.push(request.params.url);
      await page.goto(request.params.url);
      await expect(page.getByRole("heading", { name: "Connect Google" })).toBeVisible();
      await expect(page.getByText("E2E Modern Assistant asks to act for you at Google")).toBeVisible();
      await page.getByRole("button", { name: "Continue to Google" }).click();
      await completeIdpLogin(page, "mcp-modern-person");
      await page.waitForURL("**/settings/connections?notice=connected**");
      return { action: "accept" };
    });
    await client.connect(new ModernTransport(mcpUrl, { authProvider: provider }));
    expect(client.getServerVersion()).toMatchObject({ name: "tessera" });
    expect((await client.listTools()).tools.map((tool) => tool.name).sort()).toEqual(["call_provider_api", "list_connections", "whoami"]);
    const whoami = (await client.callTool({ name: "whoami", arguments: {} })) as CallToolResult;
    expect(whoami.structuredContent).toMatchObject({ person: { email: "mcp-modern-person@example.com" }, client: { name: "E2E Modern Assistant" } });
    const me = (await client.callTool({ name: "call_provider_api", arguments: { provider: "github", method: "GET", path: "/me" } })) as CallToolResult;
    expect(me.structuredContent).toMatchObject({ status: 200, body: { login: "mcp-modern-person" } });

    // Google was never connected: one call, during which the person connects it; the SDK retries and it succeeds.
    const google = (await client.callTool({ name: "call_provider_api", arguments: { provider: "google", method: "GET", path: "/me" } })) as CallToolResult;
    expect(google.isError, text(google)).toBeFalsy();
    expect(google.structuredContent).toMatchObject({ status: 200 });
    expect(shown).toHaveLength(1);
    expect(shown[0]!.startsWith(`${base}/connect/`)).toBe(true);

    // The person revokes the assistant in the UI: its next call fails.
    await page.goto(`${base}/settings/applications/authorized`);
    await page.getByTestId("authorized-E2E Modern Assistant").getByRole("button", { name: "Revoke", exact: true }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Revoke access" }).click();
    await expect(page.getByText("No authorized applications")).toBeVisible();
    await expect(client.callTool({ name: "whoami", arguments: {} })).rejects.toThrow();
    await client.close().catch(() => {});
  } finally {
    await context.close();
    await callback.close();
  }
});
