import { randomUUID } from "node:crypto";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { readCappedBody } from "@/lib/http/read-capped-body";
import { logger } from "@/lib/log/logger";
import { authenticateMcpRequest } from "./authenticate-mcp-request";
import { createMcpServer } from "./create-mcp-server";
import { mcpChallenge } from "./mcp-challenge";
import { scopesNeededBy } from "./scopes-needed-by";

/** A JSON-RPC request to /mcp is at most this big (a call_provider_api body included). */
export const MCP_MAX_REQUEST_BYTES = 4 * 1024 * 1024;

const rpcError = (status: number, code: number, message: string, headers: Record<string, string> = {}) =>
  Response.json({ jsonrpc: "2.0", error: { code, message }, id: null }, { status, headers: { "cache-control": "no-store", ...headers } });

/**
 * `/mcp` (Streamable HTTP, MCP 2025-11-25 and the SDK's other revisions): the door (Origin, bearer for
 * the /mcp audience), then the SDK's transport and server, built for this request alone and closed after.
 * Stateless on purpose: no session lives in one process, so any instance behind a load balancer answers
 * any request, and a revoked grant or disabled app is seen on the very next request (every request checks
 * the token against the database); there are no server-initiated messages to keep a stream open for.
 * JSON answers, not SSE: each call is one request and one answer.
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

    const server = createMcpServer(caller);
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    try {
      await server.connect(transport);
      return await transport.handleRequest(request, { parsedBody: message });
    } finally {
      await server.close().catch(() => undefined);
    }
  } catch (error) {
    logger.error({ err: error, requestId }, "mcp: request failed");
    return rpcError(500, -32603, `Internal error (request id ${requestId}).`);
  }
}
