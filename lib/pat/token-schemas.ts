import { z } from "zod";

/** What the API says about PATs: the response schemas the routes answer through and /docs shows. */

export const patIdSchema = z
  .string()
  .regex(/^pat_[A-Za-z0-9]{1,40}$/)
  .meta({ description: "A personal access token's id.", example: "pat_2b1kq9Xw3e" });

/** `DELETE /api/tokens/{id}`: a PAT id, or `current` for the token that authenticates the request. */
export const tokenIdParamSchema = z
  .union([z.literal("current"), patIdSchema])
  .meta({ description: "A token id, or `current`: the token that authenticates this request." });

const isoDate = z.iso.datetime().meta({ example: "2026-11-24T12:00:00.000Z" });

export const tokenViewSchema = z
  .object({
    id: patIdSchema,
    name: z.string().meta({ example: "nightly backup" }),
    description: z.string().meta({ description: "What its owner says the token is for; empty when not given.", example: "Backs up the wiki every night." }),
    scopes: z.array(z.string()).meta({ example: ["profile:read", "tokens:read"] }),
    createdAt: isoDate,
    expiresAt: isoDate,
    lastUsedAt: isoDate.nullable(),
    lastUsedIp: z.string().nullable().meta({ example: "203.0.113.7" }),
    revokedAt: isoDate.nullable(),
    revokedReason: z.string().nullable().meta({
      description:
        "Why it stopped when no person revoked it: `rotated` (replaced, no overlap), `leaked` (reported at /api/credentials/report-leak), `reuse_detected` (an old token of a rotated family was used), `unused` (PAT_REVOKE_AFTER_UNUSED_DAYS); null otherwise.",
      example: null,
    }),
    rotatedAt: isoDate
      .nullable()
      .meta({ description: "When it was rotated: it then works only until `expiresAt`, the end of the overlap. Null if never rotated.", example: null }),
    status: z.enum(["active", "expired", "revoked"]),
    tokenHint: z.string().meta({ description: "The token's prefix and last characters, to recognise it; never enough to use it.", example: "tsr_pat_…Xk3f" }),
    recentClients: z
      .array(z.object({ ip: z.string().meta({ example: "203.0.113.7" }), at: isoDate.meta({ description: "When this address last used the token." }) }))
      .meta({ description: "The last 5 distinct client addresses that used the token, newest first." }),
  })
  .meta({ id: "Token", description: "A personal access token as every list shows it: never its value or hash." });

export const tokenListSchema = z
  .object({
    tokens: z.array(tokenViewSchema),
    nextCursor: patIdSchema.nullable().meta({ description: "Pass as `cursor` for the next page; null on the last page." }),
  })
  .meta({ id: "TokenList" });

export const createdTokenSchema = z
  .object({
    id: patIdSchema,
    name: z.string().meta({ example: "nightly backup" }),
    scopes: z.array(z.string()).meta({ example: ["profile:read"] }),
    createdAt: isoDate,
    expiresAt: isoDate,
    tokenHint: z.string().meta({ example: "tsr_pat_…Xk3f" }),
    token: z.string().meta({ description: "The token value: shown in this response only, never again.", example: "tsr_pat_…" }),
  })
  .meta({ id: "CreatedToken" });

export const meSchema = z
  .object({
    id: z.string().meta({ example: "cmi2x7d0a0000qk8z4h6b1c2d" }),
    email: z.string().nullable().meta({ example: "alice@example.com" }),
    name: z.string().nullable().meta({ example: "Alice" }),
    role: z.enum(["USER", "ADMIN"]),
    token: z
      .object({
        id: z.string().meta({ description: "The PAT's id (`pat_…`), or the id of the application access token.", example: "pat_2b1kq9Xw3e" }),
        name: z.string().meta({ description: "The PAT's name, or the application's name." }),
        scopes: z.array(z.string()),
        expiresAt: isoDate,
      })
      .nullable()
      .meta({ description: "The PAT or third-party application access token that authenticated this request; null with a browser session." }),
    application: z
      .object({ clientId: z.string().meta({ example: "tsr_app_9Qk2mXw4r7LpB3sN" }), name: z.string().meta({ example: "Acme Notes" }) })
      .optional()
      .meta({ description: "Present only when a third-party application's access token authenticated this request: the application that acts for you." }),
  })
  .meta({ id: "Me" });

export const rotatedTokenSchema = createdTokenSchema
  .extend({
    previousToken: z
      .object({ id: patIdSchema, stopsAt: isoDate.meta({ description: "When the old token stops working (now, or after the overlap you asked for)." }) })
      .meta({ description: "The token this one replaces." }),
  })
  .meta({ id: "RotatedToken", description: "The new token (same name and scopes; its value shown in this response only) and when the old one stops." });
