import type { NextRequest } from "next/server";
import { clientIp } from "@/lib/http/client-ip";
import { handleMcpRequest } from "@/lib/mcp/handle-mcp-request";
import { issuerFor } from "@/lib/oauth/authorization-server-metadata";

export const dynamic = "force-dynamic";

// Tessera as an MCP server (issue 24). Not through withApi: MCP speaks JSON-RPC and its own bearer door
// (the /mcp audience, RFC 9728 challenges): lib/mcp/handle-mcp-request.ts.
const handle = (request: NextRequest) =>
  handleMcpRequest(request, { issuer: issuerFor(request.headers, request.nextUrl.origin), ip: clientIp(request.headers) });

export const POST = handle;
export const GET = handle;
export const DELETE = handle;
