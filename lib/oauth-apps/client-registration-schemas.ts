import { z } from "zod";

/* RFC 7591 request and response bodies of POST /api/oauth/register (lib/oauth/register-client.ts), for the route and its documentation. */

export const AUTH_METHODS = ["none", "client_secret_basic", "client_secret_post"] as const;

const printable = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max, `at most ${max} characters`)
    .refine((value) => !/\p{Cc}/u.test(value) && value.isWellFormed(), "cannot contain control characters or invalid Unicode");

/** The client metadata Tessera reads (RFC 7591 §2); other fields are ignored, as §3.2.1 allows. */
export const clientRegistrationRequestSchema = z.object({
  redirect_uris: z.array(z.string().max(2000)).min(1, "give at least one redirect URI").max(10, "at most 10 redirect URIs"),
  // §2: omitted means client_secret_basic.
  token_endpoint_auth_method: z.enum(AUTH_METHODS).default("client_secret_basic"),
  grant_types: z
    .array(z.enum(["authorization_code", "refresh_token"]))
    .min(1)
    .default(["authorization_code"])
    .refine((grants) => grants.includes("authorization_code"), "must include authorization_code"),
  response_types: z.array(z.literal("code")).min(1).default(["code"]),
  client_name: printable(100).optional(),
  client_uri: z
    .string()
    .max(2000)
    .refine((value) => /^https?:\/\/[\x21-\x7e]+$/i.test(value) && URL.canParse(value), "must be an http(s) URL in printable ASCII")
    .optional(),
});

/** RFC 7591 §3.2.1: the client information response (the one place a client_secret is ever shown). */
export const clientRegistrationResponseSchema = z
  .object({
    client_id: z.string().meta({ example: "tsr_app_…" }),
    client_secret: z.string().optional().meta({ description: "Confidential clients only (registered by an admin): shown once, stored only as a hash." }),
    client_id_issued_at: z.number().int(),
    client_secret_expires_at: z.number().int().optional().meta({ description: "0: the secret does not expire (present when client_secret is)." }),
    client_name: z.string(),
    client_uri: z.string().optional(),
    redirect_uris: z.array(z.string()),
    token_endpoint_auth_method: z.enum(AUTH_METHODS),
    grant_types: z.array(z.string()),
    response_types: z.array(z.string()),
  })
  .meta({ id: "ClientRegistrationResponse" });

export type ClientRegistrationResponse = z.input<typeof clientRegistrationResponseSchema>;
