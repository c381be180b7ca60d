import { randomBytes } from "node:crypto";
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
  });
  env.DEMO_IDP_ISSUER = idp.issuer;
  // The demo IdP's "admin" user is an administrator unless ADMIN_EMAILS says otherwise.
  env.ADMIN_EMAILS ??= "admin@example.com";
  return { issuer: idp.issuer, close: () => idp.close() };
}
