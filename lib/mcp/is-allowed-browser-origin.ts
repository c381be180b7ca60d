const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * A browser Origin that may reach /mcp: Tessera's own. With AUTH_URL that is the configured origin. Without it the
 * issuer is read from the Host header, which a DNS-rebinding page controls (evil.example resolving to 127.0.0.1 sends
 * Host and Origin evil.example, which agree): then only a loopback name counts as Tessera's own (the MCP transport
 * spec's advice for local servers; the conformance suite's dns-rebinding-protection checks exactly this). A browser
 * client on another name needs AUTH_URL set to it.
 */
export function isAllowedBrowserOrigin(origin: string, issuer: string, env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  if (origin !== issuer) return false;
  if (env.AUTH_URL) return true;
  return URL.canParse(origin) && LOOPBACK_HOSTS.has(new URL(origin).hostname);
}
