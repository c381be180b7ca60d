import { withApi } from "@/lib/api/with-api";
import { handleTokenRequest } from "@/lib/oauth/handle-token-request";

export const dynamic = "force-dynamic";

export const POST = withApi({ auth: { oauth: true } }, (request, { ip }) => handleTokenRequest(request, ip));
