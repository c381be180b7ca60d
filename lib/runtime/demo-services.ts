import { randomBytes } from "node:crypto";
import { DemoIdpError } from "@/lib/idp/demo-idp-error";
import { startDemoIdp } from "@/lib/idp/start-demo-idp";
import { getProviderMode } from "@/lib/providers/catalog";

export type DemoServices = { issuer: string; close(): Promise<void> };

/**
 * When no real provider is configured, runs the demo identity provider (oidc-provider) on loopback
 * and points the three providers at it. Its grants live in memory: after a restart, stored demo
 * tokens fail to refresh and their connections show "Needs reconnect", as a revoked grant would.
 */
export async function startDemoServicesIfNeeded(env: NodeJS.ProcessEnv, appPort: number): Promise<DemoServices | undefined> {
  if (getProviderMode({ ...env, DEMO_IDP_ISSUER: "pending", DEMO_IDP_CLIENT_SECRET: "pending" }) !== "demo") return undefined;
  // Several instances of one demo (and the two-instance test) share one IdP: its grants live in its memory.
  if (env.DEMO_IDP_SHARED_ISSUER && env.DEMO_IDP_CLIENT_SECRET) {
    env.DEMO_IDP_ISSUER = env.DEMO_IDP_SHARED_ISSUER;
    env.ADMIN_EMAILS ??= "admin@example.com";
    return { issuer: env.DEMO_IDP_ISSUER, close: async () => {} };
  }
  env.DEMO_IDP_CLIENT_SECRET ||= randomBytes(24).toString("base64url");
  const appUrls = [`http://localhost:${appPort}`, `http://127.0.0.1:${appPort}`, env.AUTH_URL].filter((u): u is string => Boolean(u));
  const idp = await startDemoIdp({
    port: Number(env.DEMO_IDP_PORT ?? 0),
    appUrls,
    clientSecret: env.DEMO_IDP_CLIENT_SECRET,
    // Test-only (e2e sets it): the leak scan searches the app log for every token the IdP ever issued.
    issuedTokensFile: env.DEMO_IDP_ISSUED_TOKENS_FILE || undefined,
    // Connect-only providers it plays besides Slack and Atlassian (e.g. an operator's entry), and Atlassian's idle expiry.
    connectProviders: readList(env.DEMO_IDP_CONNECT_PROVIDERS),
    connectRefreshIdleSeconds: readPositiveInteger(env.DEMO_IDP_CONNECT_REFRESH_IDLE_SECONDS),
  });
  env.DEMO_IDP_ISSUER = idp.issuer;
  // The demo IdP's "admin" user is an administrator unless ADMIN_EMAILS says otherwise.
  env.ADMIN_EMAILS ??= "admin@example.com";
  return { issuer: idp.issuer, close: () => idp.close() };
}

/** "a, b,,c" → ["a", "b", "c"]. */
function readList(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
}

/** Unset or blank → undefined (the IdP's default); anything else must be a positive integer. */
function readPositiveInteger(value: string | undefined): number | undefined {
  if (!value?.trim()) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0)
    throw new DemoIdpError("invalid_options", "DEMO_IDP_CONNECT_REFRESH_IDLE_SECONDS must be a positive whole number of seconds");
  return number;
}
