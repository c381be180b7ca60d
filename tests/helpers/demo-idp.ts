import { afterAll, beforeAll } from "vitest";
import { startDemoIdp, type DemoIdp } from "@/lib/idp/start-demo-idp";

export const TEST_APP_URL = "http://localhost:3999";
export const TEST_IDP_SECRET = "test-demo-client-secret";

/** Runs the demo IdP for this test file and points the provider catalog at it (demo mode). */
export function startDemoIdpForFile(): () => DemoIdp {
  let idp: DemoIdp | undefined;
  beforeAll(async () => {
    idp = await startDemoIdp({ appUrls: [TEST_APP_URL], clientSecret: TEST_IDP_SECRET, accessTokenTtlSeconds: 600 });
    process.env.DEMO_IDP_ISSUER = idp.issuer;
    process.env.DEMO_IDP_CLIENT_SECRET = TEST_IDP_SECRET;
  });
  afterAll(async () => {
    delete process.env.DEMO_IDP_ISSUER;
    delete process.env.DEMO_IDP_CLIENT_SECRET;
    await idp?.close();
  });
  return () => {
    if (!idp) throw new Error("demo IdP not started");
    return idp;
  };
}
