import { json, withApi } from "@/lib/api/with-api";
import { listConnections } from "@/lib/connections/list-connections";

export const dynamic = "force-dynamic";

export const GET = withApi({ auth: { pat: true, session: true }, scope: "connections:read" }, async (_request, { principal }) => {
  const connections = (await listConnections(principal.user.id)).filter((c) => c.status !== "not_linked");
  return json({
    connections: connections.map((c) => ({
      provider: c.provider,
      status: c.status,
      tokenNames: c.tokenNames,
      scopes: c.scopes,
      expiresAt: c.expiresAt?.toISOString() ?? null,
    })),
  });
});
