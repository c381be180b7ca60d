import { createConnectRequest } from "@/lib/connect/create-connect-request";
import type { McpCaller } from "./mcp-caller";

/**
 * Connect on first use: a link to Tessera's connect page, bound to the person who made the call (another
 * signed-in person is refused there), on the origin the client reached Tessera under.
 */
export async function buildConnectUrl(caller: McpCaller, provider: string): Promise<string> {
  const request = await createConnectRequest({
    userId: caller.user.id,
    provider,
    scopes: [],
    requestedBy: { kind: "application", id: caller.app.id, name: caller.app.name },
  });
  return new URL(request.path, caller.origin).toString();
}
