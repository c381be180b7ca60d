import { afterEach, expect, it, vi } from "vitest";
import * as healthRoute from "@/app/api/health/route";
import { callRoute } from "../helpers/fixtures";
import { describeOnEachDatabase } from "../helpers/test-database";

afterEach(() => vi.unstubAllEnvs());

const health = async () => callRoute(healthRoute.GET, { path: "/api/health" });

describeOnEachDatabase("GET /api/health says when demo mode is on", () => {
  it('reports "mode": "demo" while the demo identity provider stands in for the real ones', async () => {
    vi.stubEnv("DEMO_IDP_ISSUER", "http://127.0.0.1:4321");
    vi.stubEnv("DEMO_IDP_CLIENT_SECRET", "demo-secret");
    const response = await health();
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ status: "ok", database: "ok", mode: "demo" });
  });

  it('reports "mode": "real" with a real provider, even if the demo IdP is also configured', async () => {
    vi.stubEnv("DEMO_IDP_ISSUER", "http://127.0.0.1:4321");
    vi.stubEnv("DEMO_IDP_CLIENT_SECRET", "demo-secret");
    vi.stubEnv("AUTH_GOOGLE_ID", "g-id");
    vi.stubEnv("AUTH_GOOGLE_SECRET", "g-secret");
    expect((await health()).json()).toEqual({ status: "ok", database: "ok", mode: "real" });
  });

  it("never reports demo when real credentials are incomplete (no silent fallback)", async () => {
    vi.stubEnv("DEMO_IDP_ISSUER", "http://127.0.0.1:4321");
    vi.stubEnv("DEMO_IDP_CLIENT_SECRET", "demo-secret");
    vi.stubEnv("AUTH_GITHUB_ID", "Iv1.only-an-id");
    expect((await health()).json()).toMatchObject({ mode: "none" });
  });
});
