import { withApi } from "@/lib/api/with-api";
import { answerProtectedResourceMetadata } from "@/lib/oauth/protected-resource-metadata";

export const dynamic = "force-dynamic";

// RFC 9728 for the MCP endpoint, at its path: one such route per entry of lib/oauth-apps/protected-resources.ts.
export const GET = withApi({ auth: { oauth: true } }, async (request) => answerProtectedResourceMetadata(request));
