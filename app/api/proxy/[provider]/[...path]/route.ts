import { withApi } from "@/lib/api/with-api";
import { proxyCallTarget, proxyRouteRequest } from "@/lib/proxy/proxy-route-request";

export const dynamic = "force-dynamic";

// Service access tokens only (client_credentials); the provider, path and person come from the request. The token's
// statement also reads the person's state at the provider the call names (issue 26: one round trip, not two).
const handler = withApi({ auth: { service: true }, serviceCall: proxyCallTarget }, (request, { principal, ip }) =>
  proxyRouteRequest(request, principal.token, principal.call, ip),
);

export const GET = handler;
export const HEAD = handler;
export const POST = handler;
export const PUT = handler;
export const PATCH = handler;
export const DELETE = handler;
