import { z } from "zod";
import { storedProviderTokensSchema, revokeAllReportSchema } from "@/lib/admin/admin-schemas";
import { userIdSchema } from "@/lib/http/user-id-schema";
import { defineArea } from "../route-doc";

const userPath = { path: z.object({ id: userIdSchema.meta({ description: "The user's id.", example: "cmi2x7d0a0000qk8z4h6b1c2d" }) }) };

export const adminUsersArea = defineArea({
  tag: { name: "Admin: users", description: "Incident response over any user's credentials (admins only; others get 404)." },
  routes: [
    {
      method: "GET",
      path: "/api/admin/users/{id}/provider-tokens",
      access: { kind: "user", scope: "admin", admin: true },
      operation: {
        operationId: "getUserProviderTokens",
        summary: "A user's stored provider tokens",
        description: "Which provider tokens Tessera holds for the user: names and counts per provider, never values.",
        requestParams: userPath,
        responses: { 200: { description: "Stored token names per provider.", content: { "application/json": { schema: storedProviderTokensSchema } } } },
      },
    },
    {
      method: "POST",
      path: "/api/admin/users/{id}/revoke-all",
      access: { kind: "user", scope: "admin", admin: true, recentSignIn: true },
      operation: {
        operationId: "revokeAllCredentials",
        summary: "Revoke all of a user's credentials",
        description:
          "Ends every session, revokes every PAT and revokes each provider grant at the provider. What the provider did not confirm stays pending (never handed out) for a retry from the admin security tab.",
        requestParams: userPath,
        responses: { 200: { description: "What was revoked, per provider.", content: { "application/json": { schema: revokeAllReportSchema } } } },
      },
    },
  ],
});
