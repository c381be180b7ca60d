import type { McpCaller } from "./mcp-caller";

/** whoami: the person and the client, for the assistant to say who it acts as and for whom. */
export function describeMcpCaller(caller: McpCaller) {
  return {
    person: { id: caller.user.id, name: caller.user.name, email: caller.user.email },
    client: { clientId: caller.app.clientId, name: caller.app.name },
    scopes: [...caller.scopes],
  };
}
