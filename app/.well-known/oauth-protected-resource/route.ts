import { withApi } from "@/lib/api/with-api";
import { answerProtectedResourceMetadata } from "@/lib/oauth/protected-resource-metadata";

export const dynamic = "force-dynamic";

// RFC 9728, the root form: the server as a whole (lib/oauth/protected-resource-metadata.ts).
export const GET = withApi({ auth: { oauth: true } }, async (request) => answerProtectedResourceMetadata(request));
