import { z } from "zod";

const connectionStatus = z.enum(["api_access", "linked", "needs_reconnect", "revocation_pending", "revocation_failed", "not_linked"]);

/** `GET /api/admin/users/{id}/provider-tokens`: names and counts per provider, never values. */
export const storedProviderTokensSchema = z
  .object({
    providers: z.array(
      z.object({
        provider: z.string().meta({ example: "google" }),
        tokenNames: z.array(z.string()).meta({ example: ["access_token", "refresh_token"] }),
        count: z.number().int().meta({ example: 2 }),
        status: connectionStatus,
      }),
    ),
  })
  .meta({ id: "StoredProviderTokens" });

const revocationOutcome = z.union([
  z.object({ status: z.literal("revoked") }),
  z.object({ status: z.literal("not_supported"), reason: z.string() }),
  z.object({ status: z.literal("failed"), reason: z.string() }),
  z.object({ status: z.literal("nothing_to_revoke") }),
]);

/** `POST /api/admin/users/{id}/revoke-all`: what was revoked, and what waits for a provider. */
export const revokeAllReportSchema = z
  .object({
    userId: z.string(),
    providers: z.array(
      z.object({
        provider: z.string().meta({ example: "github" }),
        label: z.string().meta({ example: "GitHub" }),
        status: z.enum(["revoked", "deleted", "failed", "pending"]).meta({
          description:
            "revoked: the provider confirmed; deleted: nothing to revoke there, removed locally; failed/pending: tokens kept (never handed out) until an admin retries.",
        }),
        revocation: revocationOutcome.nullable(),
        reason: z.string().nullable(),
        attempts: z.number().int(),
        removedTokenNames: z.array(z.string()),
        keptTokenNames: z.array(z.string()),
      }),
    ),
    revokedPats: z.array(z.object({ id: z.string(), name: z.string() })),
    revokedAppGrants: z
      .array(z.object({ applicationId: z.string(), name: z.string().meta({ example: "Acme Notes" }) }))
      .meta({ description: "Third-party applications the person had authorized: their grants and tokens deleted." }),
    endedSessions: z.number().int(),
  })
  .meta({ id: "RevokeAllReport" });
