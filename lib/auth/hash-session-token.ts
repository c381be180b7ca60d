import { createHash } from "node:crypto";

/**
 * What the Session table stores for a session cookie: its SHA-256, hex. The cookie is random
 * (Auth.js uses a UUID v4), so an unsalted hash is enough, and a database dump signs nobody in.
 * Everything that writes or looks up a Session row goes through this one function.
 */
export function hashSessionToken(sessionToken: string): string {
  return createHash("sha256").update(sessionToken, "utf8").digest("hex");
}
