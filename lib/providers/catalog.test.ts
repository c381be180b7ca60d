import { describe, expect, it } from "vitest";
import {
  DEMO_CLIENT_IDS,
  deriveEntraTokenUrl,
  getProviderClient,
  getProviderMode,
  isProviderId,
  listEnabledProviders,
  MICROSOFT_REVOCATION_REASON,
  ProviderConfigError,
  providerLabel,
} from "./catalog";

const DEMO = { DEMO_IDP_ISSUER: "http://127.0.0.1:4321/", DEMO_IDP_CLIENT_SECRET: "demo-secret" };
const GOOGLE = { AUTH_GOOGLE_ID: "g-id", AUTH_GOOGLE_SECRET: "g-secret" };
const ENTRA = {
  AUTH_MICROSOFT_ENTRA_ID_ID: "m-id",
  AUTH_MICROSOFT_ENTRA_ID_SECRET: "m-secret",
  AUTH_MICROSOFT_ENTRA_ID_ISSUER: "https://login.microsoftonline.com/1234-abcd/v2.0/",
};
const GITHUB = { AUTH_GITHUB_ID: "Iv1.abc", AUTH_GITHUB_SECRET: "gh-secret" };

describe("provider catalog", () => {
  it("knows the three ids and their labels", () => {
    expect(isProviderId("microsoft-entra-id")).toBe(true);
    expect(isProviderId("azure-ad")).toBe(false);
    expect(isProviderId(undefined)).toBe(false);
    expect(["google", "microsoft-entra-id", "github", "other"].map(providerLabel)).toEqual(["Google", "Microsoft", "GitHub", "other"]);
  });

  it("mode: real as soon as one real provider has credentials, else demo, else none", () => {
    expect(getProviderMode({})).toBe("none");
    expect(getProviderMode({ DEMO_IDP_ISSUER: "http://127.0.0.1:1" })).toBe("none");
    expect(getProviderMode(DEMO)).toBe("demo");
    // Incomplete real credentials never fall back to the demo IdP (guard: REAL_PROVIDER_VARIABLES check in getProviderMode).
    expect(getProviderMode({ ...DEMO, AUTH_GOOGLE_ID: "only-an-id" })).toBe("none");
    expect(getProviderMode({ ...DEMO, AUTH_GITHUB_SECRET: "only-a-secret" })).toBe("none");
    expect(getProviderMode({ ...DEMO, AUTH_MICROSOFT_ENTRA_ID_ISSUER: "https://login.microsoftonline.com/t/v2.0" })).toBe("none");
    expect(getProviderMode({ ...DEMO, ...GITHUB })).toBe("real");
    expect(listEnabledProviders({ ...DEMO, ...GITHUB })).toEqual([{ id: "github", label: "GitHub" }]);
    expect(listEnabledProviders(DEMO).map((p) => p.id)).toEqual(["google", "microsoft-entra-id", "github"]);
    expect(listEnabledProviders({})).toEqual([]);
  });

  it("demo: every provider refreshes and revokes at the demo IdP with Basic auth", () => {
    for (const id of ["google", "microsoft-entra-id", "github"] as const) {
      expect(getProviderClient(id, DEMO)).toEqual({
        id,
        clientId: DEMO_CLIENT_IDS[id],
        clientSecret: "demo-secret",
        tokenUrl: "http://127.0.0.1:4321/token",
        clientAuth: "client_secret_basic",
        // GitHub revokes the whole grant, like api.github.com does.
        revocation:
          id === "github"
            ? { kind: "github", url: "http://127.0.0.1:4321/applications/tessera-demo-github/grant" }
            : { kind: "rfc7009", url: "http://127.0.0.1:4321/token/revocation" },
        introspectionUrl: "http://127.0.0.1:4321/token/introspection",
      });
    }
    expect(getProviderClient("azure-ad", DEMO)).toBeNull();
    expect(getProviderClient("google", {})).toBeNull();
  });

  it("real: the providers' own endpoints; disabled providers are null", () => {
    const env = { ...GOOGLE, ...ENTRA, ...GITHUB, ...DEMO };
    expect(getProviderClient("google", env)).toMatchObject({
      clientId: "g-id",
      tokenUrl: "https://oauth2.googleapis.com/token",
      clientAuth: "client_secret_post",
      revocation: { kind: "rfc7009", url: "https://oauth2.googleapis.com/revoke" },
    });
    expect(getProviderClient("microsoft-entra-id", env)).toMatchObject({
      tokenUrl: "https://login.microsoftonline.com/1234-abcd/oauth2/v2.0/token",
      revocation: { kind: "unsupported", reason: MICROSOFT_REVOCATION_REASON },
    });
    expect(getProviderClient("github", env)).toMatchObject({
      tokenUrl: "https://github.com/login/oauth/access_token",
      revocation: { kind: "github", url: "https://api.github.com/applications/Iv1.abc/grant" },
    });
    expect(getProviderClient("google", env)?.introspectionUrl).toBeUndefined();
    expect(getProviderClient("github", { ...GOOGLE, ...DEMO })).toBeNull();
  });

  it("derives Entra's token endpoint from its issuer, and refuses issuers it cannot", () => {
    expect(deriveEntraTokenUrl("https://login.microsoftonline.com/common/v2.0")).toBe("https://login.microsoftonline.com/common/oauth2/v2.0/token");
    expect(getProviderClient("microsoft-entra-id", { AUTH_MICROSOFT_ENTRA_ID_ID: "m", AUTH_MICROSOFT_ENTRA_ID_SECRET: "s" })?.tokenUrl).toBe(
      "https://login.microsoftonline.com/common/oauth2/v2.0/token",
    );
    for (const issuer of ["not a url", "http://login.microsoftonline.com/t/v2.0", "https://login.microsoftonline.com/t"]) {
      expect(() => deriveEntraTokenUrl(issuer)).toThrow(ProviderConfigError);
    }
  });
});
