/** Who is calling /mcp: the person, the application they authorized, and what they granted it (never the token). */
export type McpCaller = {
  user: { id: string; email: string | null; name: string | null };
  app: { id: string; clientId: string; name: string };
  scopes: readonly string[];
  /** The request's origin as clients see it (Tessera's issuer): connect URLs are built on it. */
  origin: string;
  ip: string | null;
  /** Names this request in every log line and in errors, so one failure can be found. */
  requestId: string;
};
