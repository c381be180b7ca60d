import { z } from "zod";
import { MCP_PROVIDER_IDS } from "@/lib/oauth-apps/provider-scopes";

/** The methods call_provider_api sends; read scopes allow the first two only. */
export const MCP_PROXY_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"] as const;

/**
 * Request headers an assistant may set: content negotiation, conditional requests and API versions. The
 * proxy's own allow-list (lib/proxy/proxy-headers.ts) filters again; never Authorization, cookies or forwarding.
 */
export const MCP_ALLOWED_HEADERS = [
  "accept",
  "accept-language",
  "content-type",
  "if-match",
  "if-none-match",
  "if-modified-since",
  "if-unmodified-since",
  "prefer",
  "range",
  "x-github-api-version",
  "consistencylevel",
  "odata-maxversion",
  "odata-version",
  "x-goog-user-project",
] as const;

const headerName = z
  .string()
  .transform((name) => name.toLowerCase())
  .refine((name) => (MCP_ALLOWED_HEADERS as readonly string[]).includes(name), {
    error: (issue) => `header ${JSON.stringify(String(issue.input).slice(0, 60))} is not allowed; allowed: ${MCP_ALLOWED_HEADERS.join(", ")}`,
  });

/** call_provider_api's arguments (zod at the edge: the SDK validates with this schema before the tool runs). */
export const callProviderApiSchema = z.object({
  provider: z
    .enum(MCP_PROVIDER_IDS)
    .describe(
      "The provider whose API to call, as the person: a catalogue id such as google, microsoft-entra-id, github or slack (list_connections says which are connected).",
    ),
  method: z.enum(MCP_PROXY_METHODS).describe("The HTTP method. provider:<id>:read allows GET and HEAD; anything else needs provider:<id>:write."),
  path: z
    .string()
    .min(1)
    .max(2000)
    .regex(/^\/[^?#\s]*$/, "path starts with / and has no query, fragment or whitespace (put the query in `query`)")
    .describe("The path under the provider's API base, e.g. /user (GitHub), /oauth2/v3/userinfo (Google), /v1.0/me (Microsoft)."),
  query: z
    .record(z.string().min(1).max(200), z.union([z.string().max(4000), z.number(), z.boolean()]))
    .optional()
    .describe("Query parameters, e.g. { per_page: 10 }."),
  body: z.unknown().optional().describe("A JSON body (sent as application/json), or a string sent as-is. Not for GET or HEAD."),
  headers: z
    .record(headerName, z.string().max(1000))
    .optional()
    .describe(`Extra request headers, only these: ${MCP_ALLOWED_HEADERS.join(", ")}.`),
});
export type CallProviderApiInput = z.output<typeof callProviderApiSchema>;
