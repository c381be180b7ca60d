import { withApi } from "@/lib/api/with-api";
import { proxyRouteRequest } from "@/lib/proxy/proxy-route-request";

export const dynamic = "force-dynamic";

// Service access tokens only (client_credentials); the provider, path and person come from the request.
const handler = withApi({ auth: { service: true } }, (request, { principal, ip }) => proxyRouteRequest(request, principal.token, ip));

export const GET = handler;
export const HEAD = handler;
export const POST = handler;
export const PUT = handler;
export const PATCH = handler;
export const DELETE = handler;
