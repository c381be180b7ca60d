import type { NextRequest } from "next/server";
import { requestOrigin } from "@/lib/auth/request-origin";
import type { VerifiedServiceToken } from "@/lib/service-clients/verify-service-token";
import { proxyProviderRequest } from "./proxy-provider-request";

const PREFIX = "/api/proxy/";

/**
 * The route's request → the proxy's input. The path is cut from the RAW request path (escapes as sent),
 * not from Next's decoded params: the allow-list must judge exactly the bytes that go upstream.
 */
export async function proxyRouteRequest(request: NextRequest, token: VerifiedServiceToken, ip: string | null): Promise<Response> {
  const { pathname, search } = new URL(request.url);
  const rest = pathname.startsWith(PREFIX) ? pathname.slice(PREFIX.length) : "";
  const slash = rest.indexOf("/");
  const provider = slash < 0 ? rest : rest.slice(0, slash);
  const path = slash < 0 ? "/" : rest.slice(slash);
  const origin = requestOrigin(request.headers) ?? new URL(request.url).origin;
  const response = await proxyProviderRequest(
    token,
    { provider, path, search, method: request.method, headers: request.headers, body: request.body, origin },
    ip,
  );
  // The middleware (and its security headers) skips the proxy: the one header an API answer needs.
  response.headers.set("x-content-type-options", "nosniff");
  return response;
}
