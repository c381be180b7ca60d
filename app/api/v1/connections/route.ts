import { asDocumented } from "@/lib/http/as-documented";
import { json, withApi } from "@/lib/api/with-api";
import { connectionsResponseSchema } from "@/lib/connections/connection-schemas";
import { listConnections, type ConnectionStatus, type ConnectionView } from "@/lib/connections/list-connections";

export const dynamic = "force-dynamic";

export const GET = withApi({ auth: { pat: true, session: true }, scope: "connections:read" }, async (_request, { principal }) => {
  const connections = (await listConnections(principal.user.id)).filter(
    (c): c is ConnectionView & { status: Exclude<ConnectionStatus, "not_linked"> } => c.status !== "not_linked",
  );
  return json(
    asDocumented(connectionsResponseSchema, {
      connections: connections.map((c) => ({
        provider: c.provider,
        status: c.status,
        tokenNames: c.tokenNames,
        scopes: c.scopes,
        expiresAt: c.expiresAt?.toISOString() ?? null,
      })),
    }),
  );
});
