import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkProviderSetup, ProviderCatalogueError, ProviderSetupError } from "./check-provider-setup";

const PROD_DB = { NODE_ENV: "production", DATABASE_URL: "postgresql://db.internal/tessera" };
const GOOGLE = { AUTH_GOOGLE_ID: "g-id", AUTH_GOOGLE_SECRET: "g-secret" };
const ENTRA_TENANT = {
  AUTH_MICROSOFT_ENTRA_ID_ID: "m-id",
  AUTH_MICROSOFT_ENTRA_ID_SECRET: "m-secret",
  AUTH_MICROSOFT_ENTRA_ID_ISSUER: "https://login.microsoftonline.com/0b9e4c1a-1111-2222-3333-444455556666/v2.0",
};

function problemOf(env: Record<string, string | undefined>): string {
  try {
    checkProviderSetup(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderSetupError);
    return (error as Error).message;
  }
  throw new Error("expected a ProviderSetupError");
}

describe("checkProviderSetup (npm start)", () => {
  it("demo IdP on the embedded default and in development, real providers otherwise", () => {
    expect(checkProviderSetup({})).toEqual({ demo: true });
    expect(checkProviderSetup({ NODE_ENV: "production" })).toEqual({ demo: true }); // embedded: no DATABASE_URL
    expect(checkProviderSetup({ NODE_ENV: "development", DATABASE_URL: PROD_DB.DATABASE_URL })).toEqual({ demo: true });
    expect(checkProviderSetup({ ...PROD_DB, ...GOOGLE })).toEqual({ demo: false });
    expect(checkProviderSetup({ ...PROD_DB, ...ENTRA_TENANT })).toEqual({ demo: false });
  });

  it("production on DATABASE_URL runs the demo IdP only with TESSERA_DEMO=1", () => {
    expect(problemOf(PROD_DB)).toContain("TESSERA_DEMO=1");
    expect(problemOf({ ...PROD_DB, TESSERA_DEMO: "true" })).toContain("TESSERA_DEMO=1");
    expect(checkProviderSetup({ ...PROD_DB, TESSERA_DEMO: "1" })).toEqual({ demo: true });
  });

  it.each([
    [{ AUTH_GOOGLE_ID: "g" }, "AUTH_GOOGLE_SECRET"],
    [{ AUTH_GOOGLE_SECRET: "s" }, "AUTH_GOOGLE_ID"],
    [{ AUTH_GITHUB_ID: "g" }, "AUTH_GITHUB_SECRET"],
    [{ AUTH_GITHUB_SECRET: "s" }, "AUTH_GITHUB_ID"],
    [{ AUTH_MICROSOFT_ENTRA_ID_ID: "m" }, "AUTH_MICROSOFT_ENTRA_ID_SECRET"],
    [{ AUTH_MICROSOFT_ENTRA_ID_SECRET: "s" }, "AUTH_MICROSOFT_ENTRA_ID_ID"],
    [{ AUTH_MICROSOFT_ENTRA_ID_ISSUER: ENTRA_TENANT.AUTH_MICROSOFT_ENTRA_ID_ISSUER }, "AUTH_MICROSOFT_ENTRA_ID_ID"],
    [{ AUTH_MICROSOFT_ENTRA_ID_TENANTS: "t1" }, "AUTH_MICROSOFT_ENTRA_ID_ID"],
  ])("an incomplete provider %o is an error naming %s, in every mode (never a silent demo)", (partial, missing) => {
    const otherProvider = "AUTH_GOOGLE_ID" in partial || "AUTH_GOOGLE_SECRET" in partial ? { AUTH_GITHUB_ID: "gh", AUTH_GITHUB_SECRET: "gh-s" } : GOOGLE;
    for (const base of [{}, { NODE_ENV: "development" }, PROD_DB, { ...PROD_DB, TESSERA_DEMO: "1" }, { ...PROD_DB, ...otherProvider }]) {
      expect(problemOf({ ...base, ...partial })).toMatch(new RegExp(`${missing} is not`));
    }
  });

  it("production refuses Entra's multi-tenant issuer without AUTH_MICROSOFT_ENTRA_ID_TENANTS, naming the settings", () => {
    const entra = { AUTH_MICROSOFT_ENTRA_ID_ID: "m-id", AUTH_MICROSOFT_ENTRA_ID_SECRET: "m-secret" };
    for (const issuer of [undefined, "https://login.microsoftonline.com/common/v2.0", "https://login.microsoftonline.com/organizations/v2.0/"]) {
      const env = { ...PROD_DB, ...entra, ...(issuer ? { AUTH_MICROSOFT_ENTRA_ID_ISSUER: issuer } : {}) };
      const message = problemOf(env);
      expect(message).toContain("AUTH_MICROSOFT_ENTRA_ID_ISSUER");
      expect(message).toContain("AUTH_MICROSOFT_ENTRA_ID_TENANTS");
      expect(checkProviderSetup({ ...env, AUTH_MICROSOFT_ENTRA_ID_TENANTS: "0b9e4c1a-1111-2222-3333-444455556666" })).toEqual({ demo: false });
    }
    // Embedded production (no DATABASE_URL) is still production: same rule.
    expect(problemOf({ NODE_ENV: "production", ...entra })).toContain("AUTH_MICROSOFT_ENTRA_ID_TENANTS");
    expect(checkProviderSetup({ NODE_ENV: "development", ...entra })).toEqual({ demo: false });
  });

  it.each([
    [{ TESSERA_PROVIDER_SLACK_ID: "s" }, "TESSERA_PROVIDER_SLACK_SECRET"],
    [{ TESSERA_PROVIDER_MICROSOFT_ENTRA_ID_ID: "unused" }, null],
    [{ TESSERA_PROVIDER_GITLAB_SECRET: "s" }, "TESSERA_PROVIDER_GITLAB_ID"],
  ])("a half-set connect-only pair %o names %s (and does not change the sign-in mode)", (partial, missing) => {
    if (missing) expect(problemOf({ ...PROD_DB, ...GOOGLE, ...partial })).toMatch(new RegExp(`${missing} is not`));
    else expect(checkProviderSetup(partial)).toEqual({ demo: true });
    expect(checkProviderSetup({ TESSERA_PROVIDER_SLACK_ID: "s", TESSERA_PROVIDER_SLACK_SECRET: "x" })).toEqual({ demo: true });
  });

  it("a broken operator catalogue entry stops the start, naming the entry, the field and the variable", () => {
    const path = join(mkdtempSync(join(tmpdir(), "tessera-setup-")), "providers.json");
    writeFileSync(path, JSON.stringify({ providers: [{ id: "acme", displayName: "Acme" }] }));
    let caught: unknown;
    try {
      checkProviderSetup({ TESSERA_PROVIDERS_FILE: path });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ProviderCatalogueError);
    expect(caught).toMatchObject({ entry: "acme", field: "docs", variable: `TESSERA_PROVIDERS_FILE=${path}` });
    expect((caught as Error).message).toMatch(/"acme".*TESSERA_PROVIDERS_FILE.*docs/);
  });
});
