import type { IncomingMessage, ServerResponse } from "node:http";
import type Provider from "oidc-provider";
import type { PlayedConnectProvider } from "./list-connect-providers";
import { sendJson } from "./send-json";
import { serveConnectAuthorize } from "./serve-connect-authorize";
import { serveConnectRevoke } from "./serve-connect-revoke";
import { serveConnectToken } from "./serve-connect-token";
import { serveConnectUserinfo } from "./serve-connect-userinfo";

/** `/connect/<id>/<endpoint>`: the layout lib/providers/demo-connect.ts fixes for every played provider. */
export const CONNECT_PATH = /^\/connect\/([a-z0-9-]{1,40})\/(authorize|token|revoke|userinfo)$/;

export type ConnectProviderServer = {
  provider: Provider;
  played: ReadonlyMap<string, PlayedConnectProvider>;
  issuer: string;
  clientSecret: string;
  /** `<appUrl>/connect/callback` for each app URL: the only redirect URIs the connect clients accept. */
  redirectUris: ReadonlySet<string>;
  /** oidc-provider's own request handler: the authorization request continues there as `/auth`. */
  oidc: (req: IncomingMessage, res: ServerResponse) => unknown;
  onRevoked: () => void;
};

/*
 * Design (issue 23 §4): the played providers are real oidc-provider clients of the demo IdP, not a second
 * OAuth server. Codes, grants, PKCE, rotation, reuse detection, the login and consent pages and the IdP
 * session are oidc-provider's; these endpoints only translate the provider's dialect (scope separator,
 * answer shapes, client authentication, revocation kind) at `/connect/<id>/…`.
 */
export function serveConnectProvider(server: ConnectProviderServer, req: IncomingMessage, res: ServerResponse, path: string): unknown {
  const [, id = "", endpoint] = CONNECT_PATH.exec(path) ?? [];
  const played = server.played.get(id);
  if (!played || (endpoint === "revoke" && played.revocation === "unsupported")) {
    req.resume();
    return sendJson(res, 404, { error: "not_found" });
  }
  switch (endpoint) {
    case "authorize":
      return serveConnectAuthorize(played, server.redirectUris, req, res, server.oidc);
    case "token":
      return serveConnectToken(played, server, req, res);
    case "revoke":
      return serveConnectRevoke(server.provider, played, server, req, res);
    default:
      return serveConnectUserinfo(server.provider, played, req, res);
  }
}
