import { z } from "zod";

/** What the API says about third-party OAuth applications: the response shapes /docs shows and the contract tests check. */

const isoDate = z.iso.datetime().meta({ example: "2026-11-24T12:00:00.000Z" });

export const applicationIdSchema = z
  .string()
  .regex(/^app_[A-Za-z0-9]{1,40}$/)
  .meta({ description: "The application's id (not its clientId).", example: "app_7Hq2Lm9Xw4" });

export const applicationSchema = z
  .object({
    id: applicationIdSchema,
    clientId: z.string().meta({ example: "tsr_app_9Qk2mXw4r7LpB3sN5tV8yZ" }),
    name: z.string().meta({ example: "Acme Notes" }),
    description: z.string().nullable(),
    homepageUrl: z.string().nullable().meta({ example: "https://notes.example" }),
    redirectUris: z.array(z.string()).meta({ example: ["https://notes.example/callback"] }),
    defaultScopes: z.array(z.string()).meta({
      description: "What an authorization request without `scope` is granted (RFC 6749 §3.3); `profile:read` when none was chosen.",
      example: ["profile:read"],
    }),
    confidential: z.boolean().meta({ description: "true: authenticates with a client secret; false: a public client (PKCE only, no secret)." }),
    status: z.enum(["active", "disabled"]),
    secretHint: z.string().nullable().meta({ description: "The secret's prefix and last characters; null for a public client.", example: "tsr_as_…Qx7d" }),
    previousSecretExpiresAt: isoDate.nullable().meta({ description: "While a rotated secret's overlap lasts: when the previous secret stops working." }),
    createdAt: isoDate,
    authorizedUsers: z.number().int().meta({ description: "How many people have an active grant for it.", example: 3 }),
  })
  .meta({ id: "Application", description: "A third-party application you registered: never its secret or hash." });

export const applicationListSchema = z.object({ applications: z.array(applicationSchema) }).meta({ id: "ApplicationList" });

export const createdApplicationSchema = applicationSchema
  .extend({
    clientSecret: z.string().optional().meta({ description: "Confidential applications only: shown in this response once, never again.", example: "tsr_as_…" }),
  })
  .meta({ id: "CreatedApplication" });

export const rotatedApplicationSecretSchema = z
  .object({
    clientSecret: z.string().meta({ description: "The new secret: shown in this response only.", example: "tsr_as_…" }),
    previousSecretExpiresAt: isoDate.meta({ description: "Until when the previous secret keeps working." }),
  })
  .meta({ id: "RotatedApplicationSecret" });
