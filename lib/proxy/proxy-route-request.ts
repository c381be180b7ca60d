import type { NextRequest } from "next/server";
import { requestOrigin } from "@/lib/auth/request-origin";
import { userIdSchema } from "@/lib/http/user-id-schema";
import { isCatalogueProvider } from "@/lib/providers/catalog";
import type { VerifiedServiceToken } from "@/lib/service-clients/verify-service-token";
import type { ServiceCallRead, ServiceCallTarget } from "@/lib/service-clients/verify-service-call";
import { ON_BEHALF_OF_HEADER, proxyProviderRequest } from "./proxy-provider-request";

const PREFIX = "/api/proxy/";

/**
 * The provider and the rest of the path, cut from the RAW request path (escapes as sent), not from Next's decoded
 * params: the allow-list must judge exactly the bytes that go upstream.
 */
function splitProxyPath(url: { pathname: string }): { provider: string; path: string } {
  const rest = url.pathname.startsWith(PREFIX) ? url.pathname.slice(PREFIX.length) : "";
  const slash = rest.indexOf("/");
  return { provider: slash < 0 ? rest : rest.slice(0, slash), path: slash < 0 ? "/" : rest.slice(slash) };
}

/**
 * Whom and where the call says it is for, for the service token's statement to read along (withApi's `serviceCall`):
 * nothing is checked here but the shape; proxyProviderRequest checks everything before it uses what was read.
 */
export function proxyCallTarget(request: NextRequest): ServiceCallTarget | null {
  // Next's own parse of the same URL: a target that differs from what the checks accept is never used (proxyProviderRequest).
  const { provider } = splitProxyPath(request.nextUrl);
  const userId = request.headers.get(ON_BEHALF_OF_HEADER);
  return isCatalogueProvider(provider) && userId !== null && userIdSchema.safeParse(userId).success ? { userId, provider } : null;
}

/** The route's request → the proxy's input. */
export async function proxyRouteRequest(request: NextRequest, token: VerifiedServiceToken, call: ServiceCallRead, ip: string | null): Promise<Response> {
  const url = new URL(request.url);
  const { provider, path } = splitProxyPath(url);
  const origin = requestOrigin(request.headers) ?? url.origin;
  const response = await proxyProviderRequest(
    token,
    { provider, path, search: url.search, method: request.method, headers: request.headers, body: request.body, origin },
    ip,
    call,
  );
  // The middleware (and its security headers) skips the proxy: the one header an API answer needs.
  response.headers.set("x-content-type-options", "nosniff");
  return response;
}
