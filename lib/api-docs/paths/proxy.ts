import { z } from "zod";
import type { ZodOpenApiResponseObject } from "zod-openapi";
import { PROVIDER_IDS } from "@/lib/providers/catalog";
import { defineArea, type HttpMethod, type RouteDoc } from "../route-doc";

const proxyErrorHeader = z.object({
  "Tessera-Proxy-Error": z.string().optional().meta({
    description: "Set only when Tessera itself answers (a refusal, a timeout): its error code. Absent on the provider's own answers.",
    example: "path_not_allowed",
  }),
});

/** The provider's answer passes through as it is (status, body, allow-listed headers), so every status is a pass-through too. */
function passThrough(description: string, refusal?: string): ZodOpenApiResponseObject {
  return {
    description: refusal
      ? `${description} Or Tessera's own refusal, with \`Tessera-Proxy-Error\` and the JSON error body \`{"error": {"code", "message"}}\`: ${refusal}.`
      : description,
    headers: proxyErrorHeader,
    content: { "*/*": { schema: z.any().meta({ description: "The provider's body as it answered, or Tessera's JSON error body." }) } },
  };
}

const RESPONSES: Record<string, ZodOpenApiResponseObject> = {
  200: passThrough("The provider's answer."),
  201: passThrough("The provider's answer."),
  202: passThrough("The provider's answer."),
  204: { description: "The provider's answer, without a body.", headers: proxyErrorHeader },
  301: passThrough("The provider's redirect (not followed)."),
  302: passThrough("The provider's redirect (not followed)."),
  304: { description: "The provider's answer, without a body.", headers: proxyErrorHeader },
  307: passThrough("The provider's redirect (not followed)."),
  308: passThrough("The provider's redirect (not followed)."),
  400: passThrough(
    "The provider's answer.",
    "`invalid_path` (dot segments, empty segments or encoded separators), `invalid_request` (no `Tessera-On-Behalf-Of`, a `Tessera-Purpose` over 200 characters)",
  ),
  401: passThrough("The provider's answer (after one refresh and one retry).", "`unauthorized`: no live service access token"),
  403: passThrough(
    "The provider's answer.",
    "`insufficient_permission` (no `proxy:<provider>`), `path_not_allowed` (not on this client's allow-list), `access_denied_by_user` (the person blocked this service)",
  ),
  404: passThrough(
    "The provider's answer.",
    "`unknown_provider`, `provider_not_enabled`, `not_connected` (the person has no API access stored for this provider)",
  ),
  405: passThrough("The provider's answer."),
  409: passThrough("The provider's answer.", "`needs_reconnect` (the person must reconnect this provider)"),
  410: passThrough("The provider's answer."),
  413: passThrough("The provider's answer.", "`payload_too_large` (the request body is over PROXY_MAX_BODY_BYTES, 10 MiB by default)"),
  415: passThrough("The provider's answer."),
  422: passThrough("The provider's answer."),
  429: passThrough("The provider's answer.", "`rate_limited` (over the client's per-minute limit; `Retry-After`)"),
  500: passThrough("The provider's answer.", "`internal_error` (logged)"),
  502: passThrough("The provider's answer.", "`upstream_unreachable`, `upstream_response_too_large`"),
  503: passThrough("The provider's answer.", "`refresh_unavailable` (the provider token cannot be refreshed now; `Retry-After`)"),
  504: passThrough("The provider's answer.", "`upstream_timeout` (no answer within PROXY_TIMEOUT_MS)"),
};

const METHODS: HttpMethod[] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];

const route = (method: HttpMethod): RouteDoc => ({
  method,
  path: "/api/proxy/{provider}/{path}",
  access: { kind: "service", permission: "proxy:<provider>" },
  operation: {
    operationId: `proxyProvider${method[0]}${method.slice(1).toLowerCase()}`,
    summary: `${method} through the provider API proxy`,
    description:
      "Calls the provider's API as the person named in `Tessera-On-Behalf-Of`, with their stored provider access token, which the service never sees (refreshed when due; on a 401 refreshed once and retried once). Needs a service access token carrying `proxy:<provider>` (or `proxy:*`) and a path on the client's allow-list (`<provider>:<prefix>`, judged on the raw path). `{path}` is the rest of the URL, slashes included, and the query passes through. Request and response headers go through allow-lists; any body passes as it is (at most PROXY_MAX_BODY_BYTES). Every call is recorded in the person's usage list with `Tessera-Purpose`.",
    requestParams: {
      path: z.object({
        provider: z.enum(PROVIDER_IDS).meta({ description: "The provider whose API to call.", example: "google" }),
        path: z.string().meta({ description: "The path at the provider's API, slashes included (e.g. `oauth2/v3/userinfo`).", example: "oauth2/v3/userinfo" }),
      }),
      header: z.object({
        "Tessera-On-Behalf-Of": z
          .string()
          .meta({ description: "The Tessera user id of the person to act for. Required.", example: "cmi2x7d0a0000qk8z4h6b1c2d" }),
        "Tessera-Purpose": z
          .string()
          .max(200)
          .optional()
          .meta({ description: "Why, shown to the person in their usage list.", example: "nightly calendar sync" }),
      }),
    },
    ...(method === "GET" || method === "HEAD"
      ? {}
      : {
          requestBody: {
            required: false,
            description: "Any body, passed to the provider as it is.",
            content: {
              "*/*": {
                schema: z.any(),
                example: { summary: "Standup", start: { dateTime: "2026-11-25T09:00:00Z" }, end: { dateTime: "2026-11-25T09:15:00Z" } },
              },
            },
          },
        }),
    responses: RESPONSES,
  },
});

export const proxyArea = defineArea({
  tag: {
    name: "Provider API proxy",
    description:
      "For registered services: call a provider's API as a person without ever holding their provider token. Get a service access token first (`client_credentials` at `/api/oauth/token`).",
  },
  routes: METHODS.map(route),
});
