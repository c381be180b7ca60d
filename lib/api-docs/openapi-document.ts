import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject, type ZodOpenApiResponseObject } from "zod-openapi";
import type { oas31 } from "zod-openapi";
import { SCOPE_CATALOGUE } from "@/lib/pat/scopes";
import { SERVICE_PERMISSIONS } from "@/lib/service-clients/permissions";
import { API_AREAS } from "./paths";
import { errorResponse, oauthErrorResponse, type Access, type RouteDoc } from "./route-doc";

export type OpenApiDocument = oas31.OpenAPIObject;

function securitySchemes(serverUrl: string) {
  return {
    personalAccessToken: {
      type: "http",
      scheme: "bearer",
      bearerFormat: "tsr_pat_…",
      description: `A personal access token: \`Authorization: Bearer tsr_pat_…\`. Create one at ${serverUrl}/settings/tokens; each route names the scope it needs.`,
    },
    personalAccessTokenHeader: {
      type: "apiKey",
      in: "header",
      name: "X-API-Key",
      description: "The same personal access token, for tools that prefer an API-key header.",
    },
    sessionCookie: {
      type: "apiKey",
      in: "cookie",
      name: "authjs.session-token",
      description:
        "A signed-in browser (`__Secure-authjs.session-token` over https). Writes must be same-origin. A session acts with the person's full rights.",
    },
    clientSecretBasic: {
      type: "http",
      scheme: "basic",
      description:
        "A service client's credentials (RFC 6749 §2.3.1): HTTP Basic with the form-encoded client_id and client_secret (client_secret_basic), or instead `client_id` and `client_secret` in the form body (client_secret_post). Never both.",
    },
    serviceAccessToken: {
      type: "oauth2",
      description: "A service access token (tsr_sat_…) from the client_credentials grant; resource servers check it by introspection.",
      flows: { clientCredentials: { tokenUrl: `${serverUrl}/api/oauth/token`, scopes: Object.fromEntries(SERVICE_PERMISSIONS.map((p) => [p, p])) } },
    },
    metricsToken: { type: "http", scheme: "bearer", description: "METRICS_TOKEN, when the operator set one." },
  } satisfies Record<string, oas31.SecuritySchemeObject>;
}

type SecuritySchemeName = keyof ReturnType<typeof securitySchemes>;

function security(access: Access): Partial<Record<SecuritySchemeName, string[]>>[] {
  switch (access.kind) {
    case "public":
      return [];
    case "user":
      return access.scope
        ? [{ personalAccessToken: [access.scope] }, { personalAccessTokenHeader: [access.scope] }, { sessionCookie: [] }]
        : [{ sessionCookie: [] }];
    case "oauth-client":
      return access.optional ? [{ clientSecretBasic: [] }, {}] : [{ clientSecretBasic: [] }];
    case "metrics":
      return [{ metricsToken: [] }, {}];
    case "service":
      return [{ serviceAccessToken: [access.permission] }];
  }
}

/** The failures withApi itself answers before the handler runs, for this access. */
function accessResponses(route: RouteDoc): Record<string, ZodOpenApiResponseObject> {
  const access = route.access;
  if (access.kind === "oauth-client") return { 500: oauthErrorResponse("An unexpected error on our side (logged).", ["server_error"]) };
  if (access.kind === "service")
    return {
      401: errorResponse("No live service access token in `Authorization: Bearer` (unknown, expired, revoked, or the client is disabled).", ["unauthorized"], {
        wwwAuthenticate: true,
      }),
      500: errorResponse("An unexpected error on our side (logged).", ["internal_error"]),
    };
  if (access.kind !== "user") return {};
  const write = route.method !== "GET";
  const forbidden = [
    ...(access.scope ? ["insufficient_scope"] : []),
    ...(write ? ["cross_origin"] : []),
    ...(access.recentSignIn ? ["recent_sign_in_required"] : []),
  ];
  return {
    401: errorResponse(
      access.scope
        ? "No valid credential: no token or session, or an unknown, expired or revoked token."
        : "No signed-in session (tokens are not accepted here).",
      ["unauthorized"],
      {
        wwwAuthenticate: true,
      },
    ),
    ...(forbidden.length
      ? {
          403: errorResponse(
            `${access.scope ? "The token lacks the scope." : ""}${write ? " A session-authenticated write from another origin." : ""}${
              access.recentSignIn
                ? " Sudo mode: the session's sign-in is over 10 minutes old; sign in again (`/signin?reauth=1`) and retry (tokens are not asked)."
                : ""
            }`.trim(),
            forbidden,
            { wwwAuthenticate: Boolean(access.scope) },
          ),
        }
      : {}),
    ...(access.admin
      ? { 404: errorResponse("Not found: the resource does not exist, or the caller is not an admin (the route hides itself).", ["not_found"]) }
      : {}),
    ...(access.scope ? { 429: errorResponse("Too many failed token attempts from this address.", ["rate_limited"], { retryAfter: true }) } : {}),
    500: errorResponse("An unexpected error on our side (logged).", ["internal_error"]),
  };
}

/** What /docs needs about an operation beyond standard OpenAPI. */
export type AccessExtension = Access & { scopeDescription?: string };

function operationOf(route: RouteDoc, tag: string): ZodOpenApiOperationObject {
  const responses = { ...accessResponses(route), ...route.operation.responses };
  const sorted = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b)));
  const access: AccessExtension =
    route.access.kind === "user" && route.access.scope ? { ...route.access, scopeDescription: SCOPE_CATALOGUE[route.access.scope].description } : route.access;
  return { ...route.operation, tags: [tag], security: security(route.access), responses: sorted, "x-tessera-access": access };
}

function build(serverUrl: string): OpenApiDocument {
  const paths: ZodOpenApiPathsObject = {};
  for (const area of API_AREAS) {
    for (const route of area.routes) {
      const item = (paths[route.path] ??= {});
      const method = route.method.toLowerCase() as Lowercase<RouteDoc["method"]>;
      if (item[method]) throw new Error(`API reference: ${route.method} ${route.path} is documented twice`);
      item[method] = operationOf(route, area.tag.name);
    }
  }
  return createDocument(
    {
      openapi: "3.1.0",
      info: {
        title: "Tessera API",
        version: "1",
        description:
          "Tessera holds the keys people hand to software. Token values never appear in a response, except where an operation says so (a new token or client secret, once; the token exchange's access token).",
      },
      servers: [{ url: serverUrl }],
      tags: API_AREAS.map((area) => area.tag),
      paths,
      components: { securitySchemes: securitySchemes(serverUrl) },
    },
    {
      // The ISO date regexes zod emits next to `format: date-time` say nothing a reader needs.
      // Nor do the safe-integer bounds zod puts on every z.number().int().
      override: ({ jsonSchema }) => {
        if (jsonSchema.format === "date-time" || jsonSchema.format === "date") delete jsonSchema.pattern;
        if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
        if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
      },
    },
  );
}

const cache = new Map<string, OpenApiDocument>();

/** The OpenAPI 3.1 document, with `servers` (and the token URL) set to `serverUrl`. Treat as read-only. */
export function getOpenApiDocument(serverUrl: string): OpenApiDocument {
  let document = cache.get(serverUrl);
  if (!document) {
    document = build(serverUrl);
    // A handful of origins at most (AUTH_URL, or the hosts this server is reached at); never grows unbounded.
    if (cache.size >= 16) cache.delete(cache.keys().next().value!);
    cache.set(serverUrl, document);
  }
  return document;
}
