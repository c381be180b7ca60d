import type { NextRequest } from "next/server";
import { authenticateClient } from "./authenticate-client";
import { issuerFor } from "./authorization-server-metadata";
import { findGrant, refusedGrant } from "./grants/registry";
import { InvalidClient, InvalidRequest } from "./oauth-error";
import { readForm } from "./read-form";

/**
 * POST /api/oauth/token: read the form → authenticate the client → find the grant (lib/oauth/grants) →
 * check this kind of client may use it → run it. A bad client is invalid_client before anything about
 * the grant. A service client's call is counted as it authenticates, but only for a grant it may use.
 */
export async function handleTokenRequest(request: NextRequest, ip: string | null): Promise<Response> {
  const form = await readForm(request);
  const grantType = form.get("grant_type");
  if (!grantType) throw new InvalidRequest("grant_type is required.");
  const grant = findGrant(grantType);
  const client = await authenticateClient(request, form, {
    countServiceCall: grant?.clientKind === "service",
    readExchange: (clientId) => (grant?.clientKind === "service" && grant.readAlong ? grant.readAlong(form, clientId, ip) : null),
  });
  if (!client) throw new InvalidClient();
  if (client.kind === "service" && grant?.clientKind === "service")
    return grant.run(client, form, ip, { issuer: issuerFor(request.headers, request.nextUrl.origin) });
  if (client.kind === "application" && grant?.clientKind === "application")
    return grant.run(client, form, ip, { issuer: issuerFor(request.headers, request.nextUrl.origin) });
  throw refusedGrant(client.kind, grant);
}
