import { json, withApi } from "@/lib/api/with-api";

export const dynamic = "force-dynamic";

export const GET = withApi({ auth: { pat: true, session: true }, scope: "profile:read" }, async (_request, { principal }) => {
  const { id, email, name, role } = principal.user;
  const token = principal.via === "pat" ? { id: principal.token.id, name: principal.token.name, scopes: principal.token.scopes, expiresAt: principal.token.expiresAt.toISOString() } : null;
  return json({ id, email, name, role, token });
});
