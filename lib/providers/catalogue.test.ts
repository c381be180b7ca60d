import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import shipped from "./catalog.json" with { type: "json" };
import {
  CatalogueError,
  credentialVariables,
  getConnectProvider,
  getProviderApiBase,
  getProviderClient,
  listCatalogue,
  listConnectProviderIds,
  PROVIDER_API_BASES,
  PROVIDER_IDS,
  PROVIDER_LABELS,
} from "./catalog";
import { readShippedCatalogue } from "./load-catalogue";
import { providerEntrySchema, SCOPE_SEPARATORS } from "./provider-entry";

const dir = mkdtempSync(join(tmpdir(), "tessera-catalogue-"));
let files = 0;

/** Writes an operator catalogue to a fresh path (the loader reads each path once). */
function operatorFile(content: unknown): string {
  const path = join(dir, `providers-${++files}.json`);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

const ACME = {
  id: "acme-crm",
  displayName: "Acme CRM",
  docs: "https://developer.acme.example/oauth",
  use: "connect",
  authorizationUrl: "https://auth.acme.example/authorize",
  tokenUrl: "https://auth.acme.example/token",
  revocation: { kind: "rfc7009", url: "https://auth.acme.example/revoke" },
  userinfoUrl: "https://api.acme.example/v1/me",
  scopeSeparator: " ",
  defaultScopes: ["contacts.read"],
  pkce: true,
  clientAuth: "client_secret_basic",
  authorizationParams: { prompt: "consent" },
  refresh: { rotating: true, refreshTokenLifetimeDays: 30, inactivityExpiryDays: 7 },
  account: { idPath: "user.id", namePath: "user.name" },
  apiBaseUrl: "https://api.acme.example/v1",
};

function catalogueError(env: Record<string, string>): CatalogueError {
  try {
    listCatalogue(env);
  } catch (error) {
    expect(error).toBeInstanceOf(CatalogueError);
    return error as CatalogueError;
  }
  throw new Error("expected a CatalogueError");
}

describe("the shipped catalogue (lib/providers/catalog.json)", () => {
  const entries = readShippedCatalogue();

  it("validates every entry, with lowercase unique ids", () => {
    expect(shipped.providers.length).toBe(entries.length);
    for (const raw of shipped.providers) expect(providerEntrySchema.safeParse(raw).error).toBeUndefined();
    const ids = entries.map((entry) => entry.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-z0-9-]*$/);
  });

  it("every endpoint and docs page is https, every scope separator is known", () => {
    for (const entry of entries) {
      const urls = [
        entry.docs,
        entry.authorizationUrl,
        entry.tokenUrl,
        entry.apiBaseUrl,
        entry.userinfoUrl,
        entry.issuer,
        "url" in entry.revocation ? entry.revocation.url : undefined,
      ];
      for (const url of urls.filter(Boolean)) expect(new URL(url!).protocol, `${entry.id}: ${url}`).toBe("https:");
      expect(SCOPE_SEPARATORS).toContain(entry.scopeSeparator);
    }
  });

  it("holds the three sign-in providers and at least a dozen connect-only ones", () => {
    expect(entries.filter((entry) => entry.use === "sign-in").map((entry) => entry.id)).toEqual([...PROVIDER_IDS]);
    expect(listConnectProviderIds({}).length).toBeGreaterThanOrEqual(12);
  });

  it("backs the sign-in getters: labels, API bases, token endpoints are the data's", () => {
    expect(PROVIDER_LABELS).toEqual({ google: "Google", "microsoft-entra-id": "Microsoft", github: "GitHub" });
    expect(PROVIDER_API_BASES).toEqual({
      google: "https://www.googleapis.com",
      "microsoft-entra-id": "https://graph.microsoft.com",
      github: "https://api.github.com",
    });
    const google = entries.find((entry) => entry.id === "google")!;
    expect(getProviderClient("google", { AUTH_GOOGLE_ID: "g", AUTH_GOOGLE_SECRET: "s" })?.tokenUrl).toBe(google.tokenUrl);
  });

  it("names the variables: Auth.js's for the sign-in three, TESSERA_PROVIDER_<ID>_* for the rest", () => {
    expect(credentialVariables({ id: "microsoft-entra-id", use: "sign-in" })).toEqual({
      id: "AUTH_MICROSOFT_ENTRA_ID_ID",
      secret: "AUTH_MICROSOFT_ENTRA_ID_SECRET",
    });
    expect(credentialVariables({ id: "acme-crm", use: "connect" })).toEqual({ id: "TESSERA_PROVIDER_ACME_CRM_ID", secret: "TESSERA_PROVIDER_ACME_CRM_SECRET" });
  });

  it("lists every entry; a connect-only one is enabled by its pair, or in demo mode when the demo IdP plays it", () => {
    const demo = { DEMO_IDP_ISSUER: "http://127.0.0.1:1", DEMO_IDP_CLIENT_SECRET: "x" };
    const listing = listCatalogue({ ...demo, TESSERA_PROVIDER_GITLAB_ID: "id", TESSERA_PROVIDER_GITLAB_SECRET: "s" });
    expect(listing.map((item) => item.id)).toEqual(entries.map((entry) => entry.id));
    const enabled = listing.filter((item) => item.enabled).map((item) => item.id);
    // The demo IdP plays slack and atlassian (lib/providers/demo-connect.ts); gitlab has its pair.
    expect(enabled).toEqual(["google", "microsoft-entra-id", "github", "slack", "gitlab", "atlassian"]);
    expect(listing.find((item) => item.id === "slack")).toMatchObject({ use: "connect", source: "shipped", variables: { id: "TESSERA_PROVIDER_SLACK_ID" } });
    expect(listCatalogue({}).some((item) => item.enabled)).toBe(false);
    // Half a pair enables nothing (npm start refuses it, naming the variable).
    expect(getConnectProvider("gitlab", { TESSERA_PROVIDER_GITLAB_ID: "id" })).toBeNull();
  });

  it("points a played entry at the demo IdP in demo mode, and real credentials win over the demo", () => {
    const demo = { DEMO_IDP_ISSUER: "http://127.0.0.1:9", DEMO_IDP_CLIENT_SECRET: "demo-secret" };
    const played = getConnectProvider("slack", demo)!;
    expect(played).toMatchObject({ clientId: "tessera-demo-slack", clientSecret: "demo-secret", demo: true });
    expect(played.entry).toMatchObject({
      authorizationUrl: "http://127.0.0.1:9/connect/slack/authorize",
      tokenUrl: "http://127.0.0.1:9/connect/slack/token",
      revocation: { kind: "bearer", url: "http://127.0.0.1:9/connect/slack/revoke" },
      apiBaseUrl: "http://127.0.0.1:9/demo-api/slack",
      scopeSeparator: ",",
    });
    // Atlassian has no revocation endpoint: the demo plays that too.
    expect(getConnectProvider("atlassian", demo)!.entry.revocation.kind).toBe("unsupported");
    const real = getConnectProvider("slack", { ...demo, TESSERA_PROVIDER_SLACK_ID: "real-id", TESSERA_PROVIDER_SLACK_SECRET: "real" })!;
    expect(real).toMatchObject({ clientId: "real-id", demo: false, entry: { tokenUrl: entries.find((entry) => entry.id === "slack")!.tokenUrl } });
    // The refresh and revocation machinery reads the same client.
    expect(getProviderClient("slack", demo)).toMatchObject({ id: "slack", clientId: "tessera-demo-slack", tokenUrl: "http://127.0.0.1:9/connect/slack/token" });
    expect(getProviderApiBase("slack", demo)).toBe("http://127.0.0.1:9/demo-api/slack");
  });
});

describe("the operator's catalogue (TESSERA_PROVIDERS_FILE)", () => {
  it("adds a provider, validated, after the shipped ones", () => {
    const env = { TESSERA_PROVIDERS_FILE: operatorFile({ providers: [ACME] }), TESSERA_PROVIDER_ACME_CRM_ID: "a", TESSERA_PROVIDER_ACME_CRM_SECRET: "b" };
    const listing = listCatalogue(env);
    expect(listing.at(-1)).toMatchObject({ id: "acme-crm", source: "operator", enabled: true, entry: { ...ACME } });
    expect(listConnectProviderIds(env)).toContain("acme-crm");
    // Defaults are filled in: no authorizationParams means none.
    const { authorizationParams: _omitted, ...bare } = ACME;
    const defaults = listCatalogue({ TESSERA_PROVIDERS_FILE: operatorFile({ providers: [bare] }) }).at(-1)!;
    expect(defaults.entry.authorizationParams).toEqual({});
  });

  it.each([
    [{ ...ACME, tokenUrl: "http://auth.acme.example/token" }, "acme-crm", "tokenUrl"],
    [{ ...ACME, issuer: "ftp://auth.acme.example" }, "acme-crm", "issuer"],
    [{ ...ACME, scopeSeparator: ";" }, "acme-crm", "scopeSeparator"],
    [{ ...ACME, id: "Acme" }, "Acme", "id"],
    [{ ...ACME, docs: undefined }, "acme-crm", "docs"],
    [{ ...ACME, refresh: { rotating: "yes", refreshTokenLifetimeDays: null, inactivityExpiryDays: null } }, "acme-crm", "refresh.rotating"],
    [{ ...ACME, revocation: { kind: "rfc7009" } }, "acme-crm", "revocation.url"],
    [{ ...ACME, tokenEndpoint: "https://typo.example" }, "acme-crm", "(entry)"],
    [{ ...ACME, use: "sign-in" }, "acme-crm", "use"],
    [{ ...ACME, id: "github" }, "github", "id"],
    [{ displayName: "No id" }, "#1", "id"],
  ])("a broken entry %# throws naming the entry, the field and the variable", (entry, name, field) => {
    const path = operatorFile({ providers: [entry] });
    const error = catalogueError({ TESSERA_PROVIDERS_FILE: path });
    expect({ entry: error.entry, field: error.field, source: error.source }).toEqual({ entry: name, field, source: `TESSERA_PROVIDERS_FILE=${path}` });
    expect(error.message).toContain(`"${name}"`);
    expect(error.message).toContain(field);
    expect(error.message).toContain("TESSERA_PROVIDERS_FILE");
  });

  it("allows plain http only on loopback (a provider on this machine, the tests' demo IdP)", () => {
    const local = { ...ACME, tokenUrl: "http://127.0.0.1:4000/token", authorizationUrl: "http://localhost:4000/authorize" };
    const env = { TESSERA_PROVIDERS_FILE: operatorFile({ providers: [local] }) };
    expect(listCatalogue(env).at(-1)!.entry.tokenUrl).toBe("http://127.0.0.1:4000/token");
  });

  it("an id given twice, an unreadable file or one that is not JSON is named too", () => {
    expect(catalogueError({ TESSERA_PROVIDERS_FILE: operatorFile({ providers: [ACME, ACME] }) })).toMatchObject({ entry: "acme-crm", field: "id" });
    expect(catalogueError({ TESSERA_PROVIDERS_FILE: operatorFile("{ not json") }).message).toMatch(/TESSERA_PROVIDERS_FILE=.*not valid JSON/);
    expect(catalogueError({ TESSERA_PROVIDERS_FILE: join(dir, "missing.json") }).message).toContain("cannot be read");
    expect(catalogueError({ TESSERA_PROVIDERS_FILE: operatorFile([ACME]) }).message).toContain('{"providers"');
  });
});
