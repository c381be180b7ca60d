import { z } from "zod";
import { SERVICE_PERMISSIONS } from "@/lib/service-clients/permissions";
import { ACCESS_TOKEN_TYPE, PROVIDER_ACCESS_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT, USER_ID_TOKEN_TYPE } from "@/lib/service-clients/exchange-for-provider-token";

/*
 * The OAuth endpoints' shapes. Their form bodies are read by hand, per RFC (lib/oauth/read-form.ts:
 * a repeated parameter is an error, which no generic parser says), so the form schemas below document
 * the parameters; the response schemas are the ones the handlers answer through.
 */

const clientSecretPost = {
  client_id: z.string().optional().meta({ description: "client_secret_post only (with client_secret); omit when sending HTTP Basic." }),
  client_secret: z.string().optional().meta({ description: "client_secret_post only; never together with an Authorization header." }),
};

export const tokenRequestFormSchema = z
  .object({
    grant_type: z.enum(["client_credentials", TOKEN_EXCHANGE_GRANT, "authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code"]),
    scope: z.string().optional().meta({
      description:
        "client_credentials: space-separated permissions (default: all of the client's). refresh_token: optionally fewer scopes than the grant. Token exchange: the provider scopes the service needs (answered `insufficient_scope` with a `connect_uri` when the person has not granted them).",
      example: "tokens:introspect",
    }),
    code: z.string().optional().meta({ description: "authorization_code: the code the application received at its redirect URI (single use, short-lived)." }),
    redirect_uri: z
      .string()
      .optional()
      .meta({ description: "authorization_code: exactly the redirect URI sent to /oauth/authorize.", example: "https://app.example/callback" }),
    code_verifier: z.string().optional().meta({ description: "authorization_code: the PKCE verifier (S256) whose challenge was sent to /oauth/authorize." }),
    refresh_token: z.string().optional().meta({
      description: "refresh_token: the application's refresh token (tsr_ort_…); it rotates on every use, and reusing an old one revokes the whole family.",
    }),
    device_code: z.string().optional().meta({ description: "Device code grant (RFC 8628): the device_code from /api/oauth/device_authorization." }),
    resource: z.string().optional().meta({
      description:
        "authorization_code, refresh_token (RFC 8707): the protected resource the token is for; it must be the one the grant was issued for (default: the API).",
      example: "http://localhost:3000/api/v1",
    }),
    subject_token: z
      .string()
      .optional()
      .meta({ description: `Token exchange: the user's id (with ${USER_ID_TOKEN_TYPE}) or one of their Tessera access tokens (with ${ACCESS_TOKEN_TYPE}).` }),
    subject_token_type: z.enum([USER_ID_TOKEN_TYPE, ACCESS_TOKEN_TYPE]).optional(),
    requested_token_type: z.literal(PROVIDER_ACCESS_TOKEN_TYPE).optional(),
    audience: z.string().optional().meta({ description: "Token exchange: the provider id.", example: "github" }),
    purpose: z.string().max(200).optional().meta({ description: "Token exchange: why, shown to the person in their usage list." }),
    ...clientSecretPost,
  })
  .meta({ example: { grant_type: "client_credentials", scope: "tokens:introspect" } });

export const tokenParameterFormSchema = z
  .object({ token: z.string(), token_type_hint: z.string().optional(), ...clientSecretPost })
  .meta({ example: { token: "tsr_pat_…" } });

export const clientCredentialsTokenSchema = z
  .object({
    access_token: z.string().meta({ description: "A service access token (tsr_sat_…)." }),
    token_type: z.literal("Bearer"),
    expires_in: z.number().int(),
    scope: z.string().meta({ example: "tokens:introspect" }),
  })
  .meta({ id: "ServiceAccessToken" });

export const exchangedTokenSchema = z
  .object({
    access_token: z
      .string()
      .meta({ description: "The user's access token at the provider: the one response that carries a provider token (never a refresh token)." }),
    issued_token_type: z.literal(PROVIDER_ACCESS_TOKEN_TYPE),
    token_type: z.literal("Bearer"),
    expires_in: z.number().int().optional(),
    scope: z.string(),
  })
  .meta({ id: "ExchangedProviderToken" });

export const appTokenSchema = z
  .object({
    access_token: z
      .string()
      .meta({ description: "The application's access token (tsr_oat_…) to call Tessera's API as the person, within the granted scopes." }),
    token_type: z.literal("Bearer"),
    expires_in: z.number().int(),
    refresh_token: z.string().meta({ description: "A new refresh token (tsr_ort_…): the one you sent stops working." }),
    scope: z.string().meta({ example: "profile:read" }),
  })
  .meta({ id: "ApplicationTokens", description: "authorization_code and refresh_token grants (third-party applications, client ids tsr_app_…)." });

export const tokenResponseSchema = z.union([clientCredentialsTokenSchema, exchangedTokenSchema, appTokenSchema]);

export const introspectionSchema = z
  .union([
    z.object({ active: z.literal(false) }),
    z.object({
      active: z.literal(true),
      scope: z.string(),
      client_id: z.string().optional(),
      username: z.string().optional(),
      sub: z.string(),
      token_type: z
        .enum(["Bearer", "refresh_token"])
        .meta({ description: "`refresh_token` for an application's refresh token (tsr_ort_…); `Bearer` for every access token." }),
      exp: z.number().int(),
      iat: z.number().int(),
      aud: z
        .string()
        .optional()
        .meta({ description: "Application tokens: the one protected resource it was issued for (RFC 8707).", example: "http://localhost:3000/api/v1" }),
    }),
  ])
  .meta({ id: "Introspection", description: 'RFC 7662. Unknown, revoked, expired and malformed tokens are all `{"active": false}` and nothing else.' });

export const emptyObjectSchema = z.object({}).meta({ description: "RFC 7009: 200 with an empty object, whatever the token was." });

export const authorizationServerMetadataSchema = z
  .object({
    issuer: z.string().meta({ example: "http://localhost:3000" }),
    authorization_endpoint: z.string().meta({
      description: "Where third-party applications send people for consent (authorization code + PKCE).",
      example: "http://localhost:3000/oauth/authorize",
    }),
    token_endpoint: z.string(),
    introspection_endpoint: z.string(),
    revocation_endpoint: z.string(),
    registration_endpoint: z
      .string()
      .optional()
      .meta({ description: "RFC 7591 dynamic client registration; absent while the admin's registration policy is `off`." }),
    device_authorization_endpoint: z
      .string()
      .meta({ description: "RFC 8628: where a device (a CLI) starts the device flow.", example: "http://localhost:3000/api/oauth/device_authorization" }),
    grant_types_supported: z.array(z.string()),
    token_endpoint_auth_methods_supported: z.array(z.string()),
    scopes_supported: z.array(z.string()).meta({ example: [...SERVICE_PERMISSIONS] }),
    introspection_endpoint_auth_methods_supported: z.array(z.string()),
    revocation_endpoint_auth_methods_supported: z.array(z.string()),
    response_types_supported: z.array(z.string()),
    response_modes_supported: z.array(z.string()).meta({ example: ["query"] }),
    code_challenge_methods_supported: z.array(z.string()).meta({ description: "PKCE is required; S256 only.", example: ["S256"] }),
    authorization_response_iss_parameter_supported: z.boolean().meta({ description: "RFC 9207: the redirect carries `iss`." }),
    client_id_metadata_document_supported: z.boolean().meta({
      description:
        "An https URL may be sent as client_id: Tessera fetches the client's metadata document from it (draft-ietf-oauth-client-id-metadata-document).",
    }),
  })
  .meta({ id: "AuthorizationServerMetadata" });
