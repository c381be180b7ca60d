import { createHash } from "node:crypto";
import * as oauth from "oauth4webapi";
import { getDb } from "@/lib/db/client";
import { getConnectProvider } from "@/lib/providers/catalog";
import { CONNECT_CALLBACK_PATH } from "@/lib/providers/demo-connect";
import { ConnectError } from "./connect-error";
import { joinScopes, unionScopes } from "./connect-scopes";
import { sealConnectSecrets } from "./connect-secrets";

/** From "Continue" to the callback: a person who takes longer starts again (the link itself lives longer). */
export const FLOW_LIFETIME_MS = 10 * 60_000;

export const hashState = (state: string) => createHash("sha256").update(state).digest("base64url");

/**
 * Starts the OAuth flow of a connect request for the signed-in person and returns the provider's authorization URL.
 * The state is stored only as a hash and the PKCE verifier and nonce sealed, on the request row, which binds them to
 * this person: the callback finishes it only for them. Scopes asked for: the union of what the person's grant holds
 * and what the request needs (on a first connect, the entry's defaults and what is needed), so a service asking for
 * calendar access does not cost the access already granted. Starting again replaces an earlier state.
 */
export async function startConnect(input: { requestId: string; userId: string; origin: string }): Promise<string> {
  const db = getDb();
  const request = await db.providerConnectRequest.findUnique({ where: { id: input.requestId } });
  if (!request) throw new ConnectError("not_found");
  if (request.userId !== input.userId) throw new ConnectError("other_person");
  if (request.completedAt) throw new ConnectError("used");
  if (request.expiresAt <= new Date()) throw new ConnectError("expired");
  const provider = getConnectProvider(request.provider);
  if (!provider) throw new ConnectError("provider_disabled");
  const { entry, clientId } = provider;

  const connection = await db.providerConnection.findUnique({
    where: { userId_provider: { userId: input.userId, provider: request.provider } },
    select: { scopes: true, status: true },
  });
  const granted = connection?.status === "ACTIVE" ? connection.scopes : [];
  const scopes = unionScopes(granted, request.scopes, entry.defaultScopes);

  const state = oauth.generateRandomState();
  const codeVerifier = oauth.generateRandomCodeVerifier();
  // A nonce binds the id token to this flow; only OpenID providers (an issuer in the entry) asked for `openid` send one.
  const nonce = entry.issuer && scopes.includes("openid") ? oauth.generateRandomNonce() : null;
  const url = new URL(entry.authorizationUrl);
  for (const [name, value] of Object.entries(entry.authorizationParams)) url.searchParams.set(name, value);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", clientId);
  url.searchParams.set("redirect_uri", `${input.origin}${CONNECT_CALLBACK_PATH}`);
  if (scopes.length) url.searchParams.set("scope", joinScopes(entry, scopes));
  url.searchParams.set("state", state);
  if (entry.pkce) {
    url.searchParams.set("code_challenge", await oauth.calculatePKCECodeChallenge(codeVerifier));
    url.searchParams.set("code_challenge_method", "S256");
  }
  if (nonce) url.searchParams.set("nonce", nonce);

  const started = await db.providerConnectRequest.updateMany({
    where: { id: request.id, userId: input.userId, completedAt: null },
    data: {
      stateHash: hashState(state),
      secretsCiphertext: sealConnectSecrets(request.id, { codeVerifier, nonce }),
      startedAt: new Date(),
      scopes,
    },
  });
  if (started.count !== 1) throw new ConnectError("used");
  return url.toString();
}
