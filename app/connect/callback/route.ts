import { NextResponse, type NextRequest } from "next/server";
import { noticeUrl } from "@/lib/actions/notices";
import { requestOrigin } from "@/lib/auth/request-origin";
import { findSessionUser, readSessionToken } from "@/lib/auth/session-user";
import { completeConnect } from "@/lib/connect/complete-connect";
import { ConnectError } from "@/lib/connect/connect-error";
import { logger } from "@/lib/log/logger";

const CONNECTIONS = "/settings/connections";

/**
 * Where every provider sends the person back after a connect (CONNECT_CALLBACK_PATH). Only the person who started
 * the flow finishes it; signed out, they sign in and start again (the code is not carried through sign-in).
 */
export async function GET(request: NextRequest) {
  const origin = requestOrigin(request.headers) ?? request.nextUrl.origin;
  const to = (path: string) => NextResponse.redirect(new URL(path, origin), 303);
  const viewer = await findSessionUser(readSessionToken(request.cookies, request.headers));
  if (!viewer) return to(`/signin?callbackUrl=${encodeURIComponent(CONNECTIONS)}`);
  try {
    const result = await completeConnect({ userId: viewer.id, callbackUrl: request.nextUrl, origin });
    return to(noticeUrl(CONNECTIONS, "connected", { provider: result.provider }));
  } catch (error) {
    if (error instanceof ConnectError) return to(noticeUrl(CONNECTIONS, error.code));
    logger.error({ err: error }, "connect callback failed");
    return to(noticeUrl(CONNECTIONS, "unexpected_error"));
  }
}
