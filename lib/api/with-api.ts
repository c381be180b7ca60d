import type { NextRequest } from "next/server";
import { isSameOrigin } from "@/lib/security/is-same-origin";
import { z } from "zod";
import { readSessionToken, validateSessionToken, type SessionUser } from "@/lib/auth/session-user";
import { throwIfSignInNotRecent } from "@/lib/auth/require-recent-sign-in";
import type { Scope } from "@/lib/pat/scopes";
import type { VerifiedServiceToken } from "@/lib/service-clients/verify-service-token";
import { verifyServiceCall, type ServiceCallRead, type ServiceCallTarget } from "@/lib/service-clients/verify-service-call";
import { ApiError, notFound } from "../http/api-error";
import { recordAuthFailure, retryAfterSeconds } from "../rate-limit/auth-failure-limiter";
import { clientIp } from "../http/client-ip";
import { toErrorResponse } from "./to-error-response";
import { readJsonBody } from "./read-json-body";
import { principalActor } from "./principal-actor";
import type { AuditActor } from "@/lib/audit/record-audit-event";
import { verifyBearerToken } from "@/lib/oauth-apps/verify-bearer-token";
import { toOAuthErrorResponse } from "@/lib/oauth/oauth-error";
import { issuerFor } from "@/lib/oauth/authorization-server-metadata";
import { API_RESOURCE, protectedResourceMetadataUrl, resourceOfPath } from "@/lib/oauth-apps/protected-resources";
import { PROXY_ERROR_HEADER } from "@/lib/proxy/proxy-headers";

export type UserPrincipal =
  /** `authenticatedAt`: when this session's person last signed in with their provider (sudo mode reads it). */
  | { via: "session"; user: SessionUser; sessionToken: string; authenticatedAt: Date }
  | { via: "pat"; user: SessionUser; token: { id: string; name: string; scopes: string[]; expiresAt: Date } }
  /** A third-party application's access token (tsr_oat_…), acting for `user` with the token's scopes. */
  | {
      via: "app";
      user: SessionUser;
      token: { id: string; name: string; scopes: string[]; expiresAt: Date };
      app: { id: string; clientId: string; name: string };
    };
/** The standard OAuth endpoints: the handler authenticates the client the way its RFC says. */
export type OAuthPrincipal = { via: "oauth" };
/** Public endpoints that take no credential at all (the leaked-token report): anyone may call them. */
export type AnonymousPrincipal = { via: "anonymous" };
/**
 * A service client, by its `tsr_sat_…` access token (client_credentials): the provider API proxy. `call`: the call,
 * counted against the client's limit, and what the token's own statement read for the route's `serviceCall` target.
 */
export type ServicePrincipal = { via: "service"; token: VerifiedServiceToken; call: ServiceCallRead };
export type Principal = UserPrincipal | OAuthPrincipal | AnonymousPrincipal | ServicePrincipal;

/** The zod schemas a route may name; withApi parses each input before the handler runs and hands it over typed. */
export type InputSchemas = {
  /** The path segments. A value that fails answers 404 not_found, as an unknown id does. */
  params?: z.ZodType;
  /** The query string, one value per name. A failure answers 400 invalid_request. */
  query?: z.ZodType;
  /** A JSON body: readJsonBody's 415/413/400 invalid_json, then the schema's 400 invalid_request. */
  body?: z.ZodType;
  /** Like `body`, but an empty body counts as `{}` (POSTs whose every field is optional). */
  optionalBody?: z.ZodType;
};

type Parsed<O, K extends keyof InputSchemas, Else> = O extends { readonly [Key in K]: infer S extends z.ZodType } ? z.output<S> : Else;
/** Next's segment values, as a route without a params schema sees them (`[...path]` gives an array). */
type Segments = Record<string, string | string[]>;
/** What Next passes as `params` (the route's segments); a params schema's input names them. */
type SegmentsOf<O> = O extends { readonly params: infer S extends z.ZodType } ? z.input<S> : Segments;

/** An admin route acts as the admin, whichever credential the admin used. */
export type AdminActor = { type: "admin"; id: string };

export type ApiContext<O, Who extends Principal = UserPrincipal> = {
  principal: Who;
  ip: string | null;
  params: Parsed<O, "params", Segments>;
  query: Parsed<O, "query", undefined>;
  body: Parsed<O, "body", Parsed<O, "optionalBody", undefined>>;
  /** Who the audit trail names for a person's request: the admin on admin routes, else the person or their app. */
  actor: Who extends UserPrincipal ? (O extends { readonly admin: true } ? AdminActor : AuditActor) : undefined;
};

/** Sudo mode (lib/auth/require-recent-sign-in.ts): a session caller must have signed in recently; tokens are not asked. */
type RecentSignInOption = { recentSignIn?: true };
/** Signed-in people only (same-origin for writes); never a token. */
export type SessionRouteOptions = { auth: { session: true; pat?: false }; admin?: boolean } & RecentSignInOption;
/** A route that accepts PATs names the scope a PAT must carry (sessions act with the user's full rights). */
export type PatRouteOptions = { auth: { session?: boolean; pat: true }; scope: Scope; admin?: boolean } & RecentSignInOption;
/** RFC 6749 / 7662 / 7009 / 8414 endpoints: client authentication is the handler's (per RFC), failures answer `{"error","error_description"}`. */
export type OAuthRouteOptions = { auth: { oauth: true } };
/** No authentication (credentials sent anyway are ignored, never verified); the handler limits abuse itself. */
export type PublicRouteOptions = { auth: { public: true } };
/**
 * Service access tokens only (`Authorization: Bearer tsr_sat_…`); never a session or a PAT. Every call of a live token
 * is counted against its client's per-minute limit. `serviceCall`: whom and where the request says the call is for,
 * read from the request unchecked (null when it names none); the token's statement reads the person's state there
 * along with the token (lib/service-clients/verify-service-call.ts, issue 26), and the handler's checks decide.
 */
export type ServiceRouteOptions = { auth: { service: true }; serviceCall?: (request: NextRequest) => ServiceCallTarget | null };
/** `admin`: anyone else gets 404, as if the route did not exist. */
export type RouteOptions = SessionRouteOptions | PatRouteOptions | OAuthRouteOptions | PublicRouteOptions | ServiceRouteOptions;

export type RouteHandler<P> = (request: NextRequest, routeContext: { params: Promise<P> }) => Promise<Response>;

/** Set (non-enumerable) on every handler withApi returns; the authorisation matrix test looks for it. */
export const API_ROUTE = Symbol.for("tessera.withApi");

const REALM = 'Bearer realm="tessera"';
const invalidToken = () =>
  new ApiError("unauthorized", "Authentication required: send a valid personal access token or sign in.", {
    "www-authenticate": `${REALM}, error="invalid_token"`,
  });
const missingCredentials = () =>
  new ApiError("unauthorized", "Authentication required: send a valid personal access token or sign in.", { "www-authenticate": REALM });

/** The PAT in `Authorization: Bearer …` or, for tools that prefer it, `X-API-Key`. */
function presentedToken(request: NextRequest): string | null | undefined {
  const authorization = request.headers.get("authorization");
  if (authorization !== null) return /^Bearer\s+(.+)$/i.exec(authorization)?.[1] ?? "";
  return request.headers.get("x-api-key") ?? undefined;
}

async function authenticate(request: NextRequest, options: RouteOptions, ip: string | null): Promise<Principal> {
  const { auth } = options;
  if ("oauth" in auth) return { via: "oauth" };
  if ("public" in auth) return { via: "anonymous" };
  const token = presentedToken(request);
  if ("service" in auth) return authenticateService(token, ip, "serviceCall" in options ? (options.serviceCall?.(request) ?? null) : null);
  if (token !== undefined) {
    if (!auth.pat) throw invalidToken();
    const wait = retryAfterSeconds(ip);
    if (wait) throw new ApiError("rate_limited", "Too many failed authentication attempts. Try again later.", { "retry-after": String(wait) });
    // Every PAT route is Tessera's API: an app's token issued for another resource (RFC 8707) is invalid_token here.
    const result = await verifyBearerToken(token, { ip, audience: API_RESOURCE });
    if (!result.ok) {
      const blocked = await recordAuthFailure(ip, { checkedDatabase: result.checkedDatabase });
      if (blocked) throw new ApiError("rate_limited", "Too many failed authentication attempts. Try again later.", { "retry-after": String(blocked) });
      throw invalidToken();
    }
    return result.app ? { via: "app", user: result.user, token: result.token, app: result.app } : { via: "pat", user: result.user, token: result.token };
  }
  if (auth.session) {
    const sessionToken = readSessionToken(request.cookies, request.headers);
    const session = await validateSessionToken(sessionToken);
    const user = session?.user;
    if (session && user && sessionToken) {
      if (request.method !== "GET" && request.method !== "HEAD" && !isSameOrigin(request)) {
        throw new ApiError("cross_origin", "Cross-origin requests are not accepted with a session.");
      }
      return { via: "session", user, sessionToken, authenticatedAt: session.authenticatedAt };
    }
  }
  throw missingCredentials();
}

/** The service door: a live service access token in `Authorization: Bearer`, failures counted like PAT failures. */
async function authenticateService(token: string | null | undefined, ip: string | null, target: ServiceCallTarget | null): Promise<ServicePrincipal> {
  if (!token) throw missingCredentials();
  const wait = retryAfterSeconds(ip);
  if (wait) throw new ApiError("rate_limited", "Too many failed authentication attempts. Try again later.", { "retry-after": String(wait) });
  const verified = await verifyServiceCall(token, target);
  if (!verified.ok) {
    // Junk that fails the checksum (or another kind) never reached the database: counted in memory, like PAT junk.
    const blocked = await recordAuthFailure(ip, { checkedDatabase: verified.checkedDatabase });
    if (blocked) throw new ApiError("rate_limited", "Too many failed authentication attempts. Try again later.", { "retry-after": String(blocked) });
    throw new ApiError("unauthorized", "Authentication required: send a service access token (client_credentials grant).", {
      "www-authenticate": `${REALM}, error="invalid_token"`,
    });
  }
  return { via: "service", token: verified.token, call: verified.call };
}

type Handler<O, Who extends Principal> = (request: NextRequest, context: ApiContext<O, Who>) => Promise<Response>;

/**
 * The one wrapper every route handler goes through: authenticates (PAT or session), checks role and
 * scope, parses the route's params, query and body with the schemas it names, and turns every failure
 * into `{"error": {"code", "message"}}` with the status from the one table (lib/http/error-codes.ts).
 * The OAuth endpoints (`auth: { oauth: true }`) authenticate their client themselves, per RFC, and
 * answer RFC 6749 §5.2 errors instead.
 */
export function withApi<const O extends OAuthRouteOptions & InputSchemas>(options: O, handler: Handler<O, OAuthPrincipal>): RouteHandler<SegmentsOf<O>>;
export function withApi<const O extends PublicRouteOptions & InputSchemas>(options: O, handler: Handler<O, AnonymousPrincipal>): RouteHandler<SegmentsOf<O>>;
export function withApi<const O extends ServiceRouteOptions & InputSchemas>(options: O, handler: Handler<O, ServicePrincipal>): RouteHandler<SegmentsOf<O>>;
export function withApi<const O extends (SessionRouteOptions | PatRouteOptions) & InputSchemas>(
  options: O,
  handler: Handler<O, UserPrincipal>,
): RouteHandler<SegmentsOf<O>>;
export function withApi(options: RouteOptions & InputSchemas, handler: Handler<InputSchemas, never>): RouteHandler<Segments> {
  const { params: paramsSchema, query: querySchema, body: bodySchema, optionalBody: optionalBodySchema, ...withTarget } = options;
  // The target reader is the route's input, like its schemas: the access options alone go on the handler for the matrix.
  const { serviceCall: _serviceCall, ...access } = withTarget as RouteOptions & { serviceCall?: unknown };
  const scope = "scope" in access ? access.scope : undefined;
  // The types demand it; this keeps a cast or a plain-JS caller from opening a PAT route to every scope.
  if ("pat" in access.auth && access.auth.pat && !scope) throw new Error("withApi: a route that accepts PATs must name its scope");
  if (bodySchema && optionalBodySchema) throw new Error("withApi: name body or optionalBody, not both");
  const route: RouteHandler<Segments> = async (request, routeContext) => {
    const ip = clientIp(request.headers);
    try {
      const principal = await authenticate(request, withTarget, ip);
      let actor: AuditActor | undefined;
      if (principal.via === "session" || principal.via === "pat" || principal.via === "app") {
        const admin = "admin" in access && access.admin;
        if (admin && principal.user.role !== "ADMIN") throw notFound();
        // An app's token never carries `admin` (lib/oauth-apps/app-scopes.ts); refused here too, whatever its scopes say.
        const appOnAdminRoute = principal.via === "app" && scope === "admin";
        if (principal.via !== "session" && scope && (appOnAdminRoute || !principal.token.scopes.includes(scope))) {
          throw new ApiError("insufficient_scope", `This token lacks the ${scope} scope.`, {
            "www-authenticate": `${REALM}, error="insufficient_scope", scope="${scope}"`,
          });
        }
        actor = admin ? { type: "admin", id: principal.user.id } : principalActor(principal);
        if ("recentSignIn" in access && access.recentSignIn && principal.via === "session") throwIfSignInNotRecent(principal.authenticatedAt);
      }
      // Query and body before params: a bad body answers 400 even on an unknown id, as the routes did
      // when each parsed its own input (a route that must refuse before reading the body parses it itself).
      const query = querySchema?.parse(Object.fromEntries(request.nextUrl.searchParams));
      const body = bodySchema
        ? await parseJsonBody(request, bodySchema)
        : optionalBodySchema
          ? await parseOptionalJsonBody(request, optionalBodySchema)
          : undefined;
      let params: unknown = (await routeContext.params) ?? {};
      if (paramsSchema) {
        // A malformed id names nothing: the same 404 as an unknown one, before any query.
        const parsed = paramsSchema.safeParse(params);
        if (!parsed.success) throw notFound();
        params = parsed.data;
      }
      return withResourceMetadata(
        request,
        await handler(request, { principal: principal as never, ip, params, query, body, actor } as ApiContext<InputSchemas, never>),
      );
    } catch (error) {
      if ("oauth" in access.auth) return toOAuthErrorResponse(error, request.nextUrl.pathname);
      // The proxy's every own answer names its code in Tessera-Proxy-Error, the refused service token (401) included.
      return withResourceMetadata(
        request,
        toErrorResponse(error, request.nextUrl.pathname, "service" in access.auth ? { codeHeader: PROXY_ERROR_HEADER } : {}),
      );
    }
  };
  // The access options only (the schemas are the handler's business): the authorisation matrix test reads them.
  Object.defineProperty(route, API_ROUTE, { value: Object.freeze({ ...access }) });
  return route;
}

/**
 * RFC 9728 §5.1: a 401 or 403 from a protected resource (today /api/v1/*) names where its metadata is, so a
 * client that starts at the resource (an MCP client) finds the authorization server. Added to the challenge
 * already there (realm, error, scope), or to a bare Bearer challenge when the answer had none.
 */
function withResourceMetadata(request: NextRequest, response: Response): Response {
  if (response.status !== 401 && response.status !== 403) return response;
  const resource = resourceOfPath(request.nextUrl.pathname);
  if (!resource) return response;
  const metadata = protectedResourceMetadataUrl(issuerFor(request.headers, request.nextUrl.origin), resource.path);
  // A copy: a handler's response may have immutable headers (one it passed through from fetch).
  const headers = new Headers(response.headers);
  headers.set("www-authenticate", `${response.headers.get("www-authenticate") ?? REALM}, resource_metadata="${metadata}"`);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** Parses a JSON body with a zod schema; malformed JSON is a 400, like any other bad input. */
export async function parseJsonBody<S extends z.ZodType>(request: NextRequest, schema: S): Promise<z.infer<S>> {
  return schema.parse(await readJsonBody(request));
}

/** Like parseJsonBody, but an empty body counts as `{}` (for POSTs whose every field is optional). */
export async function parseOptionalJsonBody<S extends z.ZodType>(request: NextRequest, schema: S): Promise<z.infer<S>> {
  if (request.body === null || request.headers.get("content-length") === "0") return schema.parse({});
  return parseJsonBody(request, schema);
}

/** A JSON answer. `Response.json`, not `NextResponse.json`, which builds each answer twice (issue 26). */
export function json(data: unknown, status = 200): Response {
  return Response.json(data, { status, headers: { "cache-control": "no-store" } });
}
