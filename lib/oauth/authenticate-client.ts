import type { NextRequest } from "next/server";
import { APP_CLIENT_ID_PREFIX } from "@/lib/access-tokens/prefixes";
import { authenticateApplication, type AuthenticatedApplication } from "@/lib/oauth-apps/authenticate-application";
import { isClientMetadataDocumentUrl } from "@/lib/oauth-apps/client-metadata-document";
import {
  authenticateAndCountServiceClient,
  authenticateCountAndReadExchange,
  authenticateServiceClient,
  type AuthenticatedServiceClient,
  type ExchangeTarget,
  type PrefetchedExchange,
} from "@/lib/service-clients/authenticate-service-client";
import { InvalidClient, InvalidRequest } from "./oauth-error";

export type ClientKind = "service" | "application";

/**
 * Who a request to the token, introspection or revocation endpoint authenticated as. A service client's
 * `retryAfterSeconds` is 0 unless its call was counted (countServiceCall) and went over its limit.
 */
export type AuthenticatedClient =
  | { kind: "service"; client: AuthenticatedServiceClient; presentedSecret: string; retryAfterSeconds: number; exchange?: PrefetchedExchange }
  | { kind: "application"; application: AuthenticatedApplication };

type Presented = { clientId: string; secret: string };

/** client_secret_basic: RFC 6749 §2.3.1 form-encodes id and secret before base64. */
function fromBasic(authorization: string): Presented {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization);
  if (!match) throw new InvalidClient();
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) throw new InvalidClient();
  try {
    const decode = (part: string) => decodeURIComponent(part.replace(/\+/g, " "));
    return { clientId: decode(decoded.slice(0, colon)), secret: decode(decoded.slice(colon + 1)) };
  } catch {
    throw new InvalidClient();
  }
}

/** The id and secret a request presents (Basic header or client_secret_post; never both), or null when it presents none. */
function readClientCredentials(request: NextRequest, form: Map<string, string>): Presented | null {
  const authorization = request.headers.get("authorization");
  const inForm = form.has("client_secret");
  if (authorization && inForm) throw new InvalidRequest("Use one client authentication method, not two.");
  if (authorization) return fromBasic(authorization);
  if (inForm) return { clientId: form.get("client_id") ?? "", secret: form.get("client_secret") ?? "" };
  return null;
}

/**
 * The one client authentication of the OAuth endpoints (RFC 6749 §2.3). The client id decides the kind:
 * `tsr_app_…` is a third-party application, which authenticates with its secret (Basic or
 * client_secret_post) or, when public, names only its client_id and must send no secret (PKCE is its
 * proof); any other id is a service client, which always presents its secret.
 *
 * Returns null when the request presents no client at all (only revocation accepts that); anything
 * presented but wrong is invalid_client (401, WWW-Authenticate: Basic).
 *
 * `countServiceCall`: an authenticated service client's call is also counted against its per-minute limit,
 * in the same database round trip (the token endpoint's hot path); a wrong credential counts nothing.
 * Applications are never counted here: their limits depend on the grant's outcome (app-token-limits.ts).
 *
 * `readExchange` (with countServiceCall): the token exchange's target for the presented client id, or null; a service
 * client's statement then also reads what the exchange needs (authenticateCountAndReadExchange, issue 26).
 */
export async function authenticateClient(
  request: NextRequest,
  form: Map<string, string>,
  options: { countServiceCall?: boolean; readExchange?: (clientId: string) => ExchangeTarget | null } = {},
): Promise<AuthenticatedClient | null> {
  const presented = readClientCredentials(request, form);
  const clientId = presented?.clientId ?? form.get("client_id") ?? null;
  // An https client_id is a metadata document client (a public application, issue 22).
  if (clientId?.startsWith(APP_CLIENT_ID_PREFIX) || isClientMetadataDocumentUrl(clientId)) {
    const application = await authenticateApplication(clientId, presented?.secret ?? null);
    if (!application) throw new InvalidClient();
    return { kind: "application", application };
  }
  if (!presented) return null;
  const { clientId: id, secret } = presented;
  const target = options.countServiceCall ? (options.readExchange?.(id) ?? null) : null;
  const counted: { client: AuthenticatedServiceClient; retryAfterSeconds: number; exchange?: PrefetchedExchange } | null = target
    ? await authenticateCountAndReadExchange(id, secret, target)
    : options.countServiceCall
      ? await authenticateAndCountServiceClient(id, secret)
      : await authenticateServiceClient(id, secret).then((client) => client && { client, retryAfterSeconds: 0 });
  if (!counted) throw new InvalidClient();
  return {
    kind: "service",
    client: counted.client,
    presentedSecret: secret,
    retryAfterSeconds: counted.retryAfterSeconds,
    ...(counted.exchange ? { exchange: counted.exchange } : {}),
  };
}
