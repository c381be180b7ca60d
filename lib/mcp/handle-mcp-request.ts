import { randomUUID } from "node:crypto";
import { createMcpHandler, isLegacyRequest, WebStandardStreamableHTTPServerTransport, type AuthInfo } from "@modelcontextprotocol/server";
import { readCappedBody } from "@/lib/http/read-capped-body";
import { logger } from "@/lib/log/logger";
import { MCP_RESOURCE, protectedResourceMetadataUrl, resourceUrl } from "@/lib/oauth-apps/protected-resources";
import { authenticateMcpRequest } from "./authenticate-mcp-request";
import { createMcpServer } from "./create-mcp-server";
import { mcpChallenge } from "./mcp-challenge";
import type { McpCaller } from "./mcp-caller";
import { scopesNeededBy } from "./scopes-needed-by";

/** A JSON-RPC request to /mcp is at most this big (a call_provider_api body included). */
export const MCP_MAX_REQUEST_BYTES = 4 * 1024 * 1024;

const rpcError = (status: number, code: number, message: string, headers: Record<string, string> = {}) =>
  Response.json({ jsonrpc: "2.0", error: { code, message }, id: null }, { status, headers: { "cache-control": "no-store", ...headers } });

/** The caller the door established, handed to the SDK's factory inside AuthInfo (the SDK passes it through untouched). */
function callerOf(authInfo: AuthInfo | undefined): McpCaller {
  const caller = authInfo?.extra?.caller as McpCaller | undefined;
  if (!caller) throw new Error("mcp: a request reached the server factory without an authenticated caller");
  return caller;
}

/*
 * Revision 2026-07-28 (per-request `_meta` envelope, MCP-Protocol-Version and Mcp-Method headers, server/discover):
 * the SDK's own entry, createMcpHandler, strict (`legacy: "reject"`), one per process; it builds a server per request
 * from the factory. 2025-era traffic is routed around it (below) on the SDK's own predicate.
 */
const modern = createMcpHandler(({ authInfo }) => createMcpServer(callerOf(authInfo), "modern"), {
  legacy: "reject",
  maxRequestBodySize: MCP_MAX_REQUEST_BYTES,
  // Reporting only (the answer is already decided): requests the SDK refused, and failures of the factory.
  onerror: (error) => logger.warn({ err: error }, "mcp: the SDK refused or failed a request"),
});

/**
 * 2025-11-25 and earlier (the initialize handshake): the SDK's Streamable HTTP transport, stateless, with JSON answers.
 * Not createMcpHandler's own stateless fallback, which answers every 2025 request as an SSE stream: each call here
 * is one request and one answer, and plain JSON is what simple clients and the bench read.
 */
async function serveLegacy(request: Request, message: unknown, authInfo: AuthInfo): Promise<Response> {
  const server = createMcpServer(callerOf(authInfo), "legacy");
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  try {
    await server.connect(transport);
    return await transport.handleRequest(request, { parsedBody: message, authInfo });
  } finally {
    await server.close().catch(() => undefined);
  }
}

/**
 * `/mcp` (Streamable HTTP): the door (Origin, bearer for the /mcp audience, the scope step-up), then the official SDK
 * (@modelcontextprotocol/server): revision 2026-07-28 through its createMcpHandler, 2025-11-25 and earlier through
 * its stateless transport, told apart by its isLegacyRequest (the same classification createMcpHandler runs).
 * Stateless on purpose: no session lives in one process, so any instance behind a load balancer answers any request,
 * and a revoked grant or disabled app is seen on the very next request (every request checks the token against the
 * database); there are no server-initiated messages to keep a stream open for.
 * Never throws: an unexpected failure is logged with the request id and answered as a JSON-RPC error.
 */
export async function handleMcpRequest(request: Request, context: { issuer: string; ip: string | null }): Promise<Response> {
  const requestId = randomUUID();
  try {
    const door = await authenticateMcpRequest(request, { ...context, requestId });
    if (!door.ok) return door.response;
    const { caller } = door;
    // Stateless: no stream to open for server-initiated messages, no session to end.
    if (request.method !== "POST") return rpcError(405, -32000, "Method not allowed: this server is stateless; send JSON-RPC with POST.", { allow: "POST" });

    const read = await readCappedBody(request, MCP_MAX_REQUEST_BYTES);
    if (!read.ok)
      return read.reason === "too_large"
        ? rpcError(413, -32600, `Requests are at most ${MCP_MAX_REQUEST_BYTES} bytes.`)
        : rpcError(400, -32700, "Parse error: unreadable body.");
    let message: unknown;
    try {
      message = JSON.parse(read.bytes.toString("utf8"));
    } catch {
      return rpcError(400, -32700, "Parse error: the body is not JSON.");
    }
    const needed = scopesNeededBy(message, caller.scopes);
    if (needed.length > 0) {
      const stepUp = [...new Set([...caller.scopes, ...needed])];
      return mcpChallenge(context.issuer, { status: 403, error: "insufficient_scope", scopes: stepUp }, `This client needs ${needed.join(" ")}.`);
    }

    const authInfo: AuthInfo = {
      token: door.token,
      clientId: caller.app.clientId,
      scopes: [...caller.scopes],
      resource: new URL(resourceUrl(context.issuer, MCP_RESOURCE)),
      resourceMetadataUrl: protectedResourceMetadataUrl(context.issuer, MCP_RESOURCE),
      extra: { caller },
    };
    if (await isLegacyRequest(request, message, { maxRequestBodySize: MCP_MAX_REQUEST_BYTES })) return await serveLegacy(request, message, authInfo);
    return await modern.fetch(request, { parsedBody: message, authInfo });
  } catch (error) {
    logger.error({ err: error, requestId }, "mcp: request failed");
    return rpcError(500, -32603, `Internal error (request id ${requestId}).`);
  }
}
