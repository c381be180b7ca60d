import { z } from "zod";

/** `GET /api/v1/connections`: which providers hold API access for the caller (names, never values). */
export const connectionsResponseSchema = z
  .object({
    connections: z.array(
      z.object({
        provider: z.string().meta({ example: "github" }),
        status: z.enum(["api_access", "linked", "needs_reconnect", "revocation_pending", "revocation_failed"]),
        tokenNames: z.array(z.string()).meta({ description: "Which tokens are stored (never their values).", example: ["access_token", "refresh_token"] }),
        scopes: z.array(z.string()).meta({ example: ["read:user"] }),
        expiresAt: z.iso.datetime().nullable().meta({ description: "When the stored access token expires (it is refreshed on use)." }),
      }),
    ),
  })
  .meta({ id: "Connections" });
