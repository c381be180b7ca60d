import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { findSessionUser, readSessionToken, type SessionUser } from "@/lib/auth/session-user";
import { logger } from "@/lib/log/logger";
import type { Scope } from "@/lib/pat/scopes";
import { verifyToken } from "@/lib/pat/verify-token";
import { ApiError, errorResponse } from "./api-error";
import { recordAuthFailure, retryAfterSeconds } from "./auth-failure-limiter";
import { clientIp } from "./client-ip";
import { readJsonBody } from "./read-json-body";

export type Principal =
  | { via: "session"; user: SessionUser }
  | { via: "pat"; user: SessionUser; token: { id: string; name: string; scopes: string[]; expiresAt: Date } };

export type ApiContext<P> = { principal: Principal; params: P; ip: string | null };

type Options = {
  /** How callers may authenticate. */
  auth: { session?: boolean; pat?: boolean };
  /** Scope a PAT must carry (sessions act with the user's full rights). */
  scope?: Scope;
  /** Admin-only: anyone else gets 404, as if the route did not exist. */
  admin?: boolean;
};

const REALM = 'Bearer realm="tessera"';
const invalidToken = () =>
  new ApiError(401, "unauthorized", "Authentication required: send a valid personal access token or sign in.", {
    "www-authenticate": `${REALM}, error="invalid_token"`,
  });
const missingCredentials = () => new ApiError(401, "unauthorized", "Authentication required: send a valid personal access token or sign in.", { "www-authenticate": REALM });

/** The PAT in `Authorization: Bearer …` or, for tools that prefer it, `X-API-Key`. */
function presentedToken(request: NextRequest): string | null | undefined {
  const authorization = request.headers.get("authorization");
  if (authorization !== null) return /^Bearer\s+(.+)$/i.exec(authorization)?.[1] ?? "";
  return request.headers.get("x-api-key") ?? undefined;
}

/** Browsers send Origin on cross-site POST/DELETE; a session-authenticated write must come from this origin. */
function isSameOrigin(request: NextRequest): boolean {
  const fetchSite = request.headers.get("sec-fetch-site");
  if (fetchSite && fetchSite !== "same-origin" && fetchSite !== "none") return false;
  const origin = request.headers.get("origin");
  if (!origin) return fetchSite === "same-origin";
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

async function authenticate(request: NextRequest, options: Options, ip: string | null): Promise<Principal> {
  const token = presentedToken(request);
  if (token !== undefined) {
    if (!options.auth.pat) throw invalidToken();
    const wait = retryAfterSeconds(ip);
    if (wait) throw new ApiError(429, "rate_limited", "Too many failed authentication attempts. Try again later.", { "retry-after": String(wait) });
    const result = await verifyToken(token, { ip });
    if (!result.ok) {
      const blocked = await recordAuthFailure(ip, { checkedDatabase: result.checkedDatabase });
      if (blocked) throw new ApiError(429, "rate_limited", "Too many failed authentication attempts. Try again later.", { "retry-after": String(blocked) });
      throw invalidToken();
    }
    return { via: "pat", user: result.user, token: result.token };
  }
  if (options.auth.session) {
    const user = await findSessionUser(readSessionToken((name) => request.cookies.get(name)?.value));
    if (user) {
      if (request.method !== "GET" && request.method !== "HEAD" && !isSameOrigin(request)) {
        throw new ApiError(403, "cross_origin", "Cross-origin requests are not accepted with a session.");
      }
      return { via: "session", user };
    }
  }
  throw missingCredentials();
}

/**
 * The one wrapper every route handler goes through: authenticates (PAT or session), checks role and
 * scope, hands the handler its params, and maps every failure to `{"error": {"code", "message"}}`.
 */
export function withApi<P = Record<string, string>>(options: Options, handler: (request: NextRequest, context: ApiContext<P>) => Promise<Response>) {
  return async (request: NextRequest, routeContext: { params: Promise<P> }): Promise<Response> => {
    const ip = clientIp(request.headers);
    try {
      const principal = await authenticate(request, options, ip);
      if (options.admin && principal.user.role !== "ADMIN") throw new ApiError(404, "not_found", "Not found.");
      if (principal.via === "pat" && options.scope && !principal.token.scopes.includes(options.scope)) {
        throw new ApiError(403, "insufficient_scope", `This token lacks the ${options.scope} scope.`, {
          "www-authenticate": `${REALM}, error="insufficient_scope", scope="${options.scope}"`,
        });
      }
      const params = (await routeContext.params) ?? ({} as P);
      return await handler(request, { principal, params, ip });
    } catch (error) {
      if (error instanceof ApiError) return errorResponse(error.status, error.code, error.message, error.headers);
      if (error instanceof z.ZodError) {
        const first = error.issues[0];
        return errorResponse(400, "invalid_request", first ? `${first.path.join(".") || "body"}: ${first.message}` : "Invalid request.");
      }
      logger.error({ err: error, path: request.nextUrl.pathname }, "unhandled API error");
      return errorResponse(500, "internal_error", "Something went wrong on our side.");
    }
  };
}

/** Parses a JSON body with a zod schema; malformed JSON is a 400, like any other bad input. */
export async function parseJsonBody<S extends z.ZodType>(request: NextRequest, schema: S): Promise<z.infer<S>> {
  return schema.parse(await readJsonBody(request));
}

export function json(data: unknown, status = 200): NextResponse {
  return NextResponse.json(data, { status, headers: { "cache-control": "no-store" } });
}
