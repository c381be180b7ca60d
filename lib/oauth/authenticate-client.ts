import type { NextRequest } from "next/server";
import { authenticateAndCountServiceClient, authenticateServiceClient, type AuthenticatedServiceClient } from "@/lib/services/authenticate-service-client";
import { invalidClient, invalidRequest } from "./oauth-error";

export type Presented = { clientId: string; secret: string };

/** client_secret_basic: RFC 6749 §2.3.1 form-encodes id and secret before base64. */
function fromBasic(authorization: string): Presented {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization);
  if (!match) throw invalidClient();
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) throw invalidClient();
  try {
    const decode = (part: string) => decodeURIComponent(part.replace(/\+/g, " "));
    return { clientId: decode(decoded.slice(0, colon)), secret: decode(decoded.slice(colon + 1)) };
  } catch {
    throw invalidClient();
  }
}

/** The id and secret a request presents (Basic header or client_secret_post; never both), or null when it presents none. */
export function readClientCredentials(request: NextRequest, form: Map<string, string>): Presented | null {
  const authorization = request.headers.get("authorization");
  const inForm = form.has("client_secret");
  if (authorization && inForm) throw invalidRequest("Use one client authentication method, not two.");
  if (authorization) return fromBasic(authorization);
  if (inForm) return { clientId: form.get("client_id") ?? "", secret: form.get("client_secret") ?? "" };
  return null;
}

/**
 * The client's credentials, from the Basic header or the form (client_secret_post); never both.
 * Returns null when the request carries none (only revocation accepts that); any presented but wrong
 * credential is invalid_client (401, WWW-Authenticate: Basic).
 */
export async function authenticateClient(request: NextRequest, form: Map<string, string>): Promise<AuthenticatedServiceClient | null> {
  const presented = readClientCredentials(request, form);
  if (!presented) return null;
  const client = await authenticateServiceClient(presented.clientId, presented.secret);
  if (!client) throw invalidClient();
  return client;
}

/**
 * Mandatory client authentication that also counts the call against the client's per-minute limit,
 * in the same database round trip (the token endpoint's hot path). A wrong credential counts nothing.
 */
export async function requireCountedClient(request: NextRequest, form: Map<string, string>): Promise<{ client: AuthenticatedServiceClient; retryAfterSeconds: number }> {
  const presented = readClientCredentials(request, form);
  if (!presented) throw invalidClient();
  const counted = await authenticateAndCountServiceClient(presented.clientId, presented.secret);
  if (!counted) throw invalidClient();
  return counted;
}

/** Same, for endpoints where client authentication is mandatory. */
export async function requireClient(request: NextRequest, form: Map<string, string>): Promise<AuthenticatedServiceClient> {
  const client = await authenticateClient(request, form);
  if (!client) throw invalidClient();
  return client;
}
