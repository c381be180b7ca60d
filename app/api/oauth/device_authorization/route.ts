import { withApi } from "@/lib/api/with-api";
import { issuerFor } from "@/lib/oauth/authorization-server-metadata";
import { handleDeviceAuthorizationRequest } from "@/lib/oauth/handle-device-authorization-request";

export const dynamic = "force-dynamic";

export const POST = withApi({ auth: { oauth: true } }, (request, { ip }) =>
  handleDeviceAuthorizationRequest(request, { issuer: issuerFor(request.headers, request.nextUrl.origin), ip }),
);
