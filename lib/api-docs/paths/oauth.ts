import {
  authorizationServerMetadataSchema,
  emptyObjectSchema,
  introspectionSchema,
  tokenParameterFormSchema,
  tokenRequestFormSchema,
  tokenResponseSchema,
} from "@/lib/oauth/oauth-schemas";
import { deviceAuthorizationFormSchema, deviceAuthorizationResponseSchema } from "@/lib/oauth/device-authorization-schemas";
import { protectedResourceMetadataSchema } from "@/lib/oauth/protected-resource-metadata";
import { clientRegistrationRequestSchema, clientRegistrationResponseSchema } from "@/lib/oauth-apps/client-registration-schemas";
import { defineArea, OAUTH_FORM_ERRORS, oauthErrorResponse } from "../route-doc";

const FORM = "application/x-www-form-urlencoded";
const invalidClient = oauthErrorResponse("Client authentication failed (unknown client, wrong or expired secret, disabled client).", ["invalid_client"], {
  wwwAuthenticate: true,
});
const rateLimited = oauthErrorResponse("Over the client's per-minute limit.", ["rate_limited"], { retryAfter: true });

export const oauthArea = defineArea({
  tag: {
    name: "OAuth for services",
    description:
      "Standard OAuth 2.0 endpoints for registered service clients: client credentials, the RFC 8693 exchange for a person's provider access token, introspection (RFC 7662), revocation (RFC 7009) and discovery (RFC 8414).",
  },
  routes: [
    {
      method: "GET",
      path: "/.well-known/oauth-authorization-server",
      access: { kind: "public" },
      operation: {
        operationId: "getAuthorizationServerMetadata",
        summary: "Authorization server metadata (RFC 8414)",
        responses: {
          200: {
            description: "Endpoints, grant types and authentication methods.",
            content: { "application/json": { schema: authorizationServerMetadataSchema } },
          },
        },
      },
    },
    {
      method: "GET",
      path: "/.well-known/oauth-protected-resource",
      access: { kind: "public" },
      operation: {
        operationId: "getRootProtectedResourceMetadata",
        summary: "Protected-resource metadata, root form (RFC 9728)",
        description: "Describes the server as a whole (`resource` is the issuer itself). A client that sends `resource=<issuer>/` gets a token for the API.",
        responses: {
          200: {
            description: "The authorization server and the scopes every resource accepts.",
            content: { "application/json": { schema: protectedResourceMetadataSchema } },
          },
        },
      },
    },
    {
      method: "GET",
      path: "/.well-known/oauth-protected-resource/api/v1",
      access: { kind: "public" },
      operation: {
        operationId: "getApiProtectedResourceMetadata",
        summary: "Protected-resource metadata (RFC 9728)",
        description:
          'The API\'s document (`resource` is `<issuer>/api/v1`, the value to send as `resource`). Every 401 and 403 from `/api/v1/*` names it in `WWW-Authenticate: Bearer … resource_metadata="…"`.',
        responses: {
          200: {
            description: "The resource, its authorization server (Tessera) and the scopes it accepts from applications.",
            content: { "application/json": { schema: protectedResourceMetadataSchema } },
          },
        },
      },
    },
    {
      method: "POST",
      path: "/api/oauth/token",
      access: { kind: "oauth-client" },
      operation: {
        operationId: "issueToken",
        summary: "Token endpoint: client credentials, token exchange, authorization code and refresh token",
        description:
          "Service clients: `client_credentials` issues a service access token (15 minutes; revoked at once when the client is disabled or its secret rotated with `overlapSeconds: 0`); the token exchange (`urn:ietf:params:oauth:grant-type:token-exchange`) hands a registered service a person's access token at a provider (`audience`), refreshed when due: the client needs `credentials:<provider>:read`. Never a provider refresh token. Third-party applications (client ids `tsr_app_…`, or the https URL of a client id metadata document): `authorization_code` redeems the code from /oauth/authorize with its PKCE `code_verifier` and the same `redirect_uri`; `refresh_token` trades a refresh token for a new pair (rotation: replaying a used refresh token revokes the whole family). A confidential application authenticates with its secret (Basic or client_secret_post); a public one sends only `client_id`.",
        requestBody: {
          required: true,
          content: {
            [FORM]: {
              schema: tokenRequestFormSchema,
              example: { grant_type: "client_credentials", scope: "tokens:introspect" },
              examples: {
                clientCredentials: { summary: "client_credentials (service)", value: { grant_type: "client_credentials", scope: "tokens:introspect" } },
                authorizationCode: {
                  summary: "authorization_code (application)",
                  value: {
                    grant_type: "authorization_code",
                    code: "…",
                    redirect_uri: "https://notes.example/callback",
                    code_verifier: "…",
                    client_id: "tsr_app_…",
                  },
                },
                refreshToken: {
                  summary: "refresh_token (application)",
                  value: { grant_type: "refresh_token", refresh_token: "tsr_ort_…", client_id: "tsr_app_…" },
                },
              },
            },
          },
        },
        responses: {
          200: {
            description: "A service access token, the exchanged provider access token, or an application's access and refresh tokens.",
            content: { "application/json": { schema: tokenResponseSchema } },
          },
          400: oauthErrorResponse(
            "A bad request, grant or scope. For the exchange, a `subject_token` Tessera cannot serve is `invalid_request` (RFC 8693 §2.2.2) with a fixed `error_description`: `not_connected` (no such person, or not connected to that provider), `needs_reconnect` (the person's grant died; they must reconnect), `access_denied_by_user` (the person blocked this service at that provider), `invalid_subject_token` (a Tessera access token that is unknown, revoked or expired); other `invalid_request` descriptions are free text. For applications, an unknown, used or expired code, a PKCE or redirect_uri mismatch, or a used, revoked or expired refresh token (`invalid_grant`), a service grant type (`unauthorized_client`), or a grant type Tessera does not have (`unsupported_grant_type`). The device code grant (RFC 8628 §3.5) also answers `authorization_pending` (poll again after the interval), `slow_down` (polled too fast: the interval grows by 5 seconds), `expired_token` and `access_denied`; a device code already redeemed is `invalid_grant`.",
            [
              "invalid_request",
              "invalid_grant",
              "invalid_scope",
              "invalid_target",
              "unauthorized_client",
              "unsupported_grant_type",
              "authorization_pending",
              "slow_down",
              "expired_token",
              "access_denied",
            ],
          ),
          401: invalidClient,
          413: OAUTH_FORM_ERRORS[413]!,
          429: oauthErrorResponse(
            "Over the client's per-minute limit; for a public application, over the failed grants allowed from one address (counted per application and address).",
            ["rate_limited"],
            { retryAfter: true },
          ),
          403: oauthErrorResponse(
            "Token exchange with `scope`: the person's grant at that provider lacks some of the provider scopes asked for (or nothing is connected). The body names them (`scope`) and carries a `connect_uri`: send the person there; it asks the provider for what they granted plus what is missing, and tells them which service asked (a notice, a mail when configured, a `connection.scopes_requested` webhook). Asking again while the link is open returns the same link.",
            ["insufficient_scope"],
          ),
          503: oauthErrorResponse("The provider token could not be refreshed just now (provider down or in backoff).", ["temporarily_unavailable"], {
            retryAfter: true,
          }),
        },
      },
    },
    {
      method: "POST",
      path: "/api/oauth/device_authorization",
      access: { kind: "oauth-client" },
      operation: {
        operationId: "startDeviceAuthorization",
        summary: "Device authorization (RFC 8628): sign in a CLI",
        description:
          "A third-party application on a device without a browser (a CLI) asks for access: it shows the person `user_code` and `verification_uri` (`/device`), where they sign in, type the code and approve on the same consent screen as /oauth/authorize. Meanwhile the device polls the token endpoint with `grant_type=urn:ietf:params:oauth:grant-type:device_code` and `device_code` every `interval` seconds until it gets the application's access and refresh tokens. Client authentication as at the token endpoint: a public application sends only `client_id`.",
        requestBody: {
          required: true,
          content: { [FORM]: { schema: deviceAuthorizationFormSchema, example: { client_id: "tsr_app_…", scope: "profile:read" } } },
        },
        responses: {
          200: {
            description: "The device code, the user code and where the person enters it.",
            content: { "application/json": { schema: deviceAuthorizationResponseSchema } },
          },
          400: oauthErrorResponse(
            "Not a form, a repeated parameter, two client authentication methods, a scope an application may not be granted (`invalid_scope`), or a service client (`unauthorized_client`).",
            ["invalid_request", "invalid_scope", "unauthorized_client"],
          ),
          401: invalidClient,
          413: OAUTH_FORM_ERRORS[413]!,
          429: oauthErrorResponse("Too many device authorizations started from one address for this application in a minute.", ["rate_limited"], {
            retryAfter: true,
          }),
        },
      },
    },
    {
      method: "POST",
      path: "/api/oauth/register",
      access: { kind: "public" },
      operation: {
        operationId: "registerClient",
        summary: "Dynamic client registration (RFC 7591)",
        description:
          "A third-party application registers itself, with no owner here. The admin's policy (Admin → Applications) decides who may: `open` (the default) lets anyone register a public client (`token_endpoint_auth_method: none`, PKCE); a confidential client needs an admin's same-origin session, whose answer holds the `client_secret` once. `admins_only` needs an admin's session for every registration, `off` refuses all. Unknown metadata fields are ignored. At most 20 registrations per address and hour (admins excepted). People asked to authorize such a client are told nobody here registered it, every time.",
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: clientRegistrationRequestSchema,
              example: {
                client_name: "My MCP client",
                redirect_uris: ["http://127.0.0.1:33418/callback"],
                token_endpoint_auth_method: "none",
                grant_types: ["authorization_code", "refresh_token"],
              },
            },
          },
        },
        responses: {
          201: {
            description: "Registered: the client information (RFC 7591 §3.2.1).",
            content: { "application/json": { schema: clientRegistrationResponseSchema } },
          },
          400: oauthErrorResponse(
            "A redirect URI that cannot be registered (`invalid_redirect_uri`), other unacceptable metadata, or a confidential client without an admin (`invalid_client_metadata`), or a body that is not JSON (`invalid_request`).",
            ["invalid_redirect_uri", "invalid_client_metadata", "invalid_request"],
          ),
          403: oauthErrorResponse("The admin's policy refuses this registration (`off`, or `admins_only` without an admin's session).", ["access_denied"]),
          413: oauthErrorResponse("The body is larger than 64 KiB.", ["invalid_request"]),
          415: oauthErrorResponse("The body is not `application/json`.", ["invalid_request"]),
          429: oauthErrorResponse("Over the registrations allowed from one address per hour.", ["rate_limited"], { retryAfter: true }),
        },
      },
    },
    {
      method: "POST",
      path: "/api/oauth/introspect",
      access: { kind: "oauth-client", permission: "tokens:introspect" },
      operation: {
        operationId: "introspectToken",
        summary: "Introspect a token (RFC 7662)",
        description:
          "For clients with `tokens:introspect`: whether a PAT, service access token or application access/refresh token is active, its scopes and subject.",
        requestBody: { required: true, content: { [FORM]: { schema: tokenParameterFormSchema, example: { token: "tsr_pat_…" } } } },
        responses: {
          200: { description: "The token's state.", content: { "application/json": { schema: introspectionSchema } } },
          ...OAUTH_FORM_ERRORS,
          401: invalidClient,
          403: oauthErrorResponse("The client lacks `tokens:introspect`.", ["unauthorized_client"]),
          429: rateLimited,
        },
      },
    },
    {
      method: "POST",
      path: "/api/oauth/revoke",
      access: { kind: "oauth-client", optional: true },
      operation: {
        operationId: "revokeOAuthToken",
        summary: "Revoke a token (RFC 7009)",
        description:
          "A client revokes its own service access tokens, an application its own access and refresh tokens (a refresh token ends its whole family); a PAT or application token is revoked by whoever presents it (holding it is the proof), so client authentication is optional. 200 whatever the token was.",
        requestBody: { required: true, content: { [FORM]: { schema: tokenParameterFormSchema, example: { token: "tsr_pat_…" } } } },
        responses: {
          200: { description: "Done (or nothing to do).", content: { "application/json": { schema: emptyObjectSchema } } },
          ...OAUTH_FORM_ERRORS,
          401: invalidClient,
        },
      },
    },
  ],
});
