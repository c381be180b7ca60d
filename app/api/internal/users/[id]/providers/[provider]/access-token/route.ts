import type { NextRequest } from "next/server";
import { ApiError, errorResponse } from "@/lib/api/api-error";
import { requireInternalService } from "@/lib/api/require-internal-service";
import { userIdSchema } from "@/lib/api/user-id-schema";
import { json } from "@/lib/api/with-api";
import { logger } from "@/lib/log/logger";
import { NotConnectedError, ReconnectRequiredError, RefreshUnavailableError } from "@/lib/provider-tokens/errors";
import { getFreshAccessToken } from "@/lib/provider-tokens/provider-token-store";
import { isProviderId } from "@/lib/providers/catalog";

export const dynamic = "force-dynamic";

/**
 * The one deliberate exception to "token values never leave Tessera": an authorised internal service
 * gets a user's fresh ACCESS token (refreshed if due). Never a refresh token.
 */
export async function POST(request: NextRequest, { params }: { params: Promise<{ id: string; provider: string }> }) {
  try {
    requireInternalService(request.headers);
    const { id, provider } = await params;
    if (!isProviderId(provider) || !userIdSchema.safeParse(id).success) throw new ApiError(404, "not_found", "Not found.");
    const token = await getFreshAccessToken(id, provider);
    return json({ accessToken: token.accessToken, expiresAt: token.expiresAt?.toISOString() ?? null, scopes: token.scopes, refreshed: token.refreshed });
  } catch (error) {
    if (error instanceof ApiError) return errorResponse(error.status, error.code, error.message, error.headers);
    if (error instanceof NotConnectedError) return errorResponse(404, error.code, error.message);
    if (error instanceof ReconnectRequiredError) return errorResponse(409, error.code, error.message);
    if (error instanceof RefreshUnavailableError) return errorResponse(503, error.code, error.message, { "retry-after": "30" });
    logger.error({ err: error }, "internal access-token request failed");
    return errorResponse(500, "internal_error", "Something went wrong on our side.");
  }
}
