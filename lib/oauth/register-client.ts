import type { z } from "zod";
import { getClientRegistrationPolicy } from "@/lib/oauth-apps/client-registration-policy";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { randomBase62 } from "@/lib/crypto";
import { getDb } from "@/lib/db/client";
import { maxDynamicClients } from "@/lib/config/max-dynamic-clients";
import { InvalidClientMetadata, InvalidRedirectUri, RegistrationNotAllowed, RegistrationRateLimited } from "./oauth-error";
import { countInWindow, retryAfterFor } from "@/lib/rate-limit/fixed-window";
import { appSecretHint, generateAppClientId, generateAppSecret, hashAppSecret } from "@/lib/oauth-apps/app-secrets";
import { clientRegistrationRequestSchema, type ClientRegistrationResponse } from "@/lib/oauth-apps/client-registration-schemas";
import { checkRedirectUri } from "@/lib/oauth-apps/redirect-uri";

/*
 * RFC 7591 dynamic client registration (issue 22): a client registers itself, with no person here as its
 * owner (registration DYNAMIC). The admin's policy (lib/oauth-apps/client-registration-policy.ts) decides who may:
 * under `open` anyone may register a public client (PKCE is its proof), while a confidential one, whose secret
 * makes it look vouched for, needs an admin's session. Registrations are limited per address, and the clients
 * registered this way and not deleted to TESSERA_MAX_DYNAMIC_CLIENTS all together (lib/config/max-dynamic-clients.ts).
 */

export const REGISTRATIONS_PER_HOUR = 20;
const RATE_LIMIT_KEY_PREFIX = "dcr:";

/** The metadata, or the RFC 7591 error for its first problem (a redirect URI's own, when it is one). */
export function parseClientRegistrationRequest(body: unknown): z.output<typeof clientRegistrationRequestSchema> {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw new InvalidClientMetadata("The body must be a JSON object of client metadata (RFC 7591 §2).");
  const parsed = clientRegistrationRequestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.map(String).join(".") || "metadata";
    if (issue.path[0] === "redirect_uris") throw new InvalidRedirectUri(`redirect_uris: ${issue.message}`);
    throw new InvalidClientMetadata(`${field}: ${issue.message}`);
  }
  const input = parsed.data;
  const confidential = input.token_endpoint_auth_method !== "none";
  for (const uri of input.redirect_uris) {
    const problem = checkRedirectUri(uri, { confidential });
    if (problem) throw new InvalidRedirectUri(`The redirect URI ${JSON.stringify(uri.slice(0, 200))} ${problem}.`);
  }
  return input;
}

/**
 * Registers a client: rate limit (per address, not for admins) → the admin's policy → metadata → the overall cap
 * (for admins too) and one insert.
 * `admin`: the admin whose same-origin session sent the request, if any. The client_secret of a confidential
 * client is in the answer only: stored as its HMAC, like every application secret.
 */
export async function registerClient(
  body: unknown,
  context: { admin: { id: string } | null; ip: string | null; now?: Date },
): Promise<ClientRegistrationResponse> {
  const now = context.now ?? new Date();
  if (!context.admin) {
    const count = await countInWindow(RATE_LIMIT_KEY_PREFIX + (context.ip ?? "unknown"), 3600, now.getTime());
    const wait = retryAfterFor(count, REGISTRATIONS_PER_HOUR, now.getTime());
    if (wait) throw new RegistrationRateLimited(wait);
  }
  const policy = await getClientRegistrationPolicy();
  if (policy === "off") throw new RegistrationNotAllowed("Dynamic client registration is turned off on this server.");
  if (policy === "admins_only" && !context.admin) throw new RegistrationNotAllowed("On this server only an admin may register clients.");

  const input = parseClientRegistrationRequest(body);
  const confidential = input.token_endpoint_auth_method !== "none";
  if (confidential && !context.admin) {
    throw new InvalidClientMetadata(
      'Only public clients (token_endpoint_auth_method "none", with PKCE) may register themselves here; a confidential client needs an admin.',
    );
  }
  const redirectUris = [...new Set(input.redirect_uris)];
  const name = input.client_name ?? `Client at ${new URL(redirectUris[0]!).host || redirectUris[0]!.split(":")[0]}`;
  const clientSecret = confidential ? generateAppSecret() : null;
  const limit = maxDynamicClients();
  const created = await getDb().$transaction(async (tx) => {
    // Counted under a lock so that concurrent registrations, on any instance, cannot overshoot the cap together.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('tessera:dynamic-clients'))`;
    if ((await tx.oAuthApplication.count({ where: { registration: "DYNAMIC" } })) >= limit) {
      // Not a wait-and-retry (429): nothing frees a slot but an admin deleting clients, so 403 as for the policy.
      throw new RegistrationNotAllowed("This server has as many dynamically registered clients as it accepts; ask its admin.");
    }
    const row = await tx.oAuthApplication.create({
      data: {
        id: `app_${randomBase62(12)}`,
        clientId: generateAppClientId(),
        ownerUserId: null,
        registration: "DYNAMIC",
        name,
        description: null,
        homepageUrl: input.client_uri ?? null,
        redirectUris,
        confidential,
        secretHash: clientSecret ? hashAppSecret(clientSecret) : null,
        secretHint: clientSecret ? appSecretHint(clientSecret) : null,
        createdAt: now,
      },
    });
    await recordAuditEvent(
      {
        action: "application.registered",
        actor: context.admin ? { type: "admin", id: context.admin.id } : { type: "system" },
        ip: context.ip,
        detail: { applicationId: row.id, clientId: row.clientId, name: row.name, registration: "dynamic", confidential },
      },
      tx,
    );
    return row;
  });
  return {
    client_id: created.clientId,
    ...(clientSecret ? { client_secret: clientSecret, client_secret_expires_at: 0 } : {}),
    client_id_issued_at: Math.floor(created.createdAt.getTime() / 1000),
    client_name: created.name,
    ...(created.homepageUrl ? { client_uri: created.homepageUrl } : {}),
    redirect_uris: created.redirectUris,
    token_endpoint_auth_method: input.token_endpoint_auth_method,
    // What Tessera will actually do for it (§3.2.1: the server may replace requested values): a refresh token comes with every code.
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
  };
}
