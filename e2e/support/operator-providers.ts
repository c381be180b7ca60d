import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

/*
 * A provider that exists only in the operator's catalogue file (TESSERA_PROVIDERS_FILE), added without TypeScript:
 * the demo IdP plays it as a generic OAuth 2.0 provider (DEMO_IDP_CONNECT_PROVIDERS) and Tessera reaches it through
 * this entry alone, with its own TESSERA_PROVIDER_ACME_ID / _SECRET, exactly as an operator would configure one.
 */
const idp = `http://127.0.0.1:${process.env.E2E_IDP_PORT ?? "3101"}`;

export const OPERATOR_PROVIDER = {
  id: "acme",
  displayName: "Acme Tasks",
  docs: "https://developer.acme.example/oauth",
  use: "connect",
  authorizationUrl: `${idp}/connect/acme/authorize`,
  tokenUrl: `${idp}/connect/acme/token`,
  revocation: { kind: "rfc7009", url: `${idp}/connect/acme/revoke` },
  userinfoUrl: `${idp}/connect/acme/userinfo`,
  scopeSeparator: " ",
  defaultScopes: ["read", "profile"],
  pkce: true,
  clientAuth: "client_secret_basic",
  refresh: { rotating: true, refreshTokenLifetimeDays: 30, inactivityExpiryDays: null },
  account: { idPath: "sub", namePath: "name" },
  apiBaseUrl: `${idp}/demo-api/acme`,
} as const;

export const OPERATOR_PROVIDERS_FILE = path.resolve(".data/e2e-operator-providers.json");

/** Writes the file playwright.config.ts names in TESSERA_PROVIDERS_FILE (before the app starts). */
export function writeOperatorProvidersFile(): string {
  mkdirSync(path.dirname(OPERATOR_PROVIDERS_FILE), { recursive: true });
  writeFileSync(OPERATOR_PROVIDERS_FILE, JSON.stringify({ providers: [OPERATOR_PROVIDER] }, null, 2));
  return OPERATOR_PROVIDERS_FILE;
}
