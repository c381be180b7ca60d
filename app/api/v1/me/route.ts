import { asDocumented } from "@/lib/http/as-documented";
import { json, withApi } from "@/lib/api/with-api";
import { meSchema } from "@/lib/pat/token-schemas";

export const dynamic = "force-dynamic";

export const GET = withApi({ auth: { pat: true, session: true }, scope: "profile:read" }, async (_request, { principal }) => {
  const { id, email, name, role } = principal.user;
  const token =
    principal.via !== "session"
      ? { id: principal.token.id, name: principal.token.name, scopes: principal.token.scopes, expiresAt: principal.token.expiresAt.toISOString() }
      : null;
  // Which third-party application acts, only when one does (its access token authenticated this request).
  const application = principal.via === "app" ? { clientId: principal.app.clientId, name: principal.app.name } : null;
  return json(asDocumented(meSchema, { id, email, name, role, token, ...(application ? { application } : {}) }));
});
