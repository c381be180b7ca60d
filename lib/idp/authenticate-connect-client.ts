import type { IncomingMessage } from "node:http";
import { constantTimeEqual } from "@/lib/crypto/constant-time-equal";

/**
 * Client authentication at the connect token and revocation endpoints: HTTP Basic (form-urlencoded parts,
 * RFC 6749 §2.3.1) or client_id + client_secret in the body (client_secret_post). True only for this client.
 */
export function authenticateConnectClient(req: IncomingMessage, form: URLSearchParams, client: { clientId: string; clientSecret: string }): boolean {
  const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
  let id = form.get("client_id");
  let secret = form.get("client_secret");
  if (basic) {
    const decoded = Buffer.from(basic, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) return false;
    try {
      id = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, " "));
      secret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, " "));
    } catch {
      return false;
    }
  }
  return id === client.clientId && Boolean(secret) && constantTimeEqual(secret!, client.clientSecret);
}
