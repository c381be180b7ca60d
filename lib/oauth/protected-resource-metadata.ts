import type { NextRequest } from "next/server";
import { z } from "zod";
import { notFound } from "@/lib/http/api-error";
import { asDocumented } from "@/lib/http/as-documented";
import { API_RESOURCE, findProtectedResource, resourceUrl } from "@/lib/oauth-apps/protected-resources";
import { issuerFor } from "./authorization-server-metadata";
import { oauthJson } from "./oauth-error";

/** Where RFC 9728 puts a resource's metadata: this prefix, then the resource's path (§3.1). */
export const PROTECTED_RESOURCE_METADATA_PATH = "/.well-known/oauth-protected-resource";

export const protectedResourceMetadataSchema = z
  .object({
    resource: z.string().meta({
      description:
        "The resource's identifier: exactly the URL this document was derived from (RFC 9728 §3.3), and the `resource` to send to /oauth/authorize and the token endpoint (RFC 8707).",
      example: "http://localhost:3000/api/v1",
    }),
    authorization_servers: z.array(z.string()).meta({
      description: "Tessera's issuer: its RFC 8414 metadata is at `<issuer>/.well-known/oauth-authorization-server`.",
      example: ["http://localhost:3000"],
    }),
    scopes_supported: z
      .array(z.string())
      .meta({ description: "The scopes the resource accepts from applications.", example: ["profile:read", "connections:read"] }),
    bearer_methods_supported: z.array(z.string()).meta({ example: ["header"] }),
    resource_name: z.string().optional().meta({ example: "Tessera API" }),
  })
  .meta({ id: "ProtectedResourceMetadata", description: "RFC 9728 protected-resource metadata." });

export type ProtectedResourceMetadata = z.infer<typeof protectedResourceMetadataSchema>;

/**
 * RFC 9728 §2 metadata for the metadata URL whose path is `metadataPath`, or null when it names no resource
 * (a 404). `resource` is always the URL the metadata URL was derived from (§3.3), which clients compare:
 * - `/.well-known/oauth-protected-resource/api/v1` describes `<issuer>/api/v1`;
 * - the root form describes `<issuer>` itself, the server as a whole: the resource an MCP client falls back
 *   to when the path form is missing (the TypeScript SDK accepts it for any URL of the origin, then sends
 *   `resource=<issuer>/`). Tessera issues such a request a token for its API (resolveResource), so the root
 *   lists the API's scopes.
 */
export function protectedResourceMetadata(issuer: string, metadataPath: string): ProtectedResourceMetadata | null {
  if (!metadataPath.startsWith(PROTECTED_RESOURCE_METADATA_PATH)) return null;
  const path = metadataPath.slice(PROTECTED_RESOURCE_METADATA_PATH.length);
  const common = { authorization_servers: [issuer], bearer_methods_supported: ["header"] };
  if (path === "" || path === "/") {
    // What a token for the root can carry: the API's scopes (resolveResource gives the root the API).
    const scopes = [...findProtectedResource(API_RESOURCE)!.scopes];
    return { resource: issuer, ...common, scopes_supported: scopes, resource_name: "Tessera" };
  }
  const resource = findProtectedResource(path);
  if (!resource) return null;
  return { resource: resourceUrl(issuer, resource.path), ...common, scopes_supported: [...resource.scopes], resource_name: resource.name };
}

/** GET /.well-known/oauth-protected-resource[/…]: the document for the request's path, or 404. */
export function answerProtectedResourceMetadata(request: NextRequest): Response {
  const metadata = protectedResourceMetadata(issuerFor(request.headers, request.nextUrl.origin), request.nextUrl.pathname);
  if (!metadata) throw notFound();
  return oauthJson(asDocumented(protectedResourceMetadataSchema, metadata));
}
