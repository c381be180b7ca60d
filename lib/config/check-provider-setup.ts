import { CatalogueError, credentialVariables, listCatalogue, REAL_PROVIDER_VARIABLES, type CatalogueListing } from "@/lib/providers/catalog";
import { StartupConfigError } from "./startup-config-error";

type Env = Readonly<Record<string, string | undefined>>;

/** Entra issuers that accept accounts from any tenant: whoever runs a tenant can assert any address there. */
const MULTI_TENANT_SEGMENTS = new Set(["common", "organizations", "consumers"]);

export class ProviderSetupError extends StartupConfigError {
  readonly code = "invalid_provider_setup";
  constructor(readonly problems: string[]) {
    super(`Sign-in is configured wrongly:\n  - ${problems.join("\n  - ")}`);
  }
}

/** A provider catalogue entry (shipped, or in TESSERA_PROVIDERS_FILE) is broken: names the entry, the field and the variable. */
export class ProviderCatalogueError extends StartupConfigError {
  readonly code = "invalid_provider_catalogue";
  readonly entry: string;
  readonly field: string;
  readonly variable: string;
  constructor(cause: CatalogueError) {
    super(`The provider catalogue is broken: ${cause.message}`, { cause });
    this.entry = cause.entry;
    this.field = cause.field;
    this.variable = cause.source;
  }
}

export type ProviderSetup = { demo: boolean };

/** The catalogue, with a broken entry turned into the start-up error that names it. */
function readCatalogueForStart(env: Env): CatalogueListing[] {
  try {
    return listCatalogue(env);
  } catch (error) {
    if (error instanceof CatalogueError) throw new ProviderCatalogueError(error);
    throw error;
  }
}

const PAIRS = [
  { label: "Google", id: "AUTH_GOOGLE_ID", secret: "AUTH_GOOGLE_SECRET" },
  { label: "Microsoft Entra ID", id: "AUTH_MICROSOFT_ENTRA_ID_ID", secret: "AUTH_MICROSOFT_ENTRA_ID_SECRET" },
  { label: "GitHub", id: "AUTH_GITHUB_ID", secret: "AUTH_GITHUB_SECRET" },
] as const;

/** The tenant segment of an Entra issuer (`https://login.microsoftonline.com/<tenant>/v2.0`), or null. */
export function entraIssuerTenant(issuer: string): string | null {
  try {
    return /^\/([^/]+)\/v2\.0\/?$/.exec(new URL(issuer).pathname)?.[1]?.toLowerCase() ?? null;
  } catch {
    return null;
  }
}

/** True when Entra sign-ins are limited to known tenants: a tenant-specific issuer or AUTH_MICROSOFT_ENTRA_ID_TENANTS. */
export function isEntraTenantRestricted(env: Env): boolean {
  if (parseEntraTenantAllowList(env).length) return true;
  const tenant = env.AUTH_MICROSOFT_ENTRA_ID_ISSUER ? entraIssuerTenant(env.AUTH_MICROSOFT_ENTRA_ID_ISSUER) : null;
  return tenant !== null && !MULTI_TENANT_SEGMENTS.has(tenant);
}

/** AUTH_MICROSOFT_ENTRA_ID_TENANTS: comma-separated tenant ids (the id_token's `tid`), lower-cased. */
export function parseEntraTenantAllowList(env: Env): string[] {
  return (env.AUTH_MICROSOFT_ENTRA_ID_TENANTS ?? "")
    .split(",")
    .map((tenant) => tenant.trim().toLowerCase())
    .filter(Boolean);
}

/**
 * Start-up check of the sign-in configuration (called by `npm start` before anything runs). Throws a
 * ProviderSetupError naming each variable to fix; returns whether the demo identity provider should run.
 * - a broken provider catalogue entry (lib/providers/catalog.json or TESSERA_PROVIDERS_FILE) throws a ProviderCatalogueError;
 * - a provider with an id but no secret (or the reverse; an Entra issuer or tenant list without an id) is an error,
 *   for the connect-only providers too (TESSERA_PROVIDER_<ID>_ID / _SECRET);
 * - in production on a real database (DATABASE_URL) the demo IdP runs only with TESSERA_DEMO=1;
 * - in production Entra's multi-tenant issuer needs AUTH_MICROSOFT_ENTRA_ID_TENANTS.
 */
export function checkProviderSetup(env: Env): ProviderSetup {
  const problems: string[] = [];
  for (const { label, id, secret } of PAIRS) {
    if (env[id] && !env[secret]) problems.push(`${id} is set but ${secret} is not: set both to enable ${label}, or neither.`);
    if (!env[id] && env[secret]) problems.push(`${secret} is set but ${id} is not: set both to enable ${label}, or neither.`);
  }
  // Connect-only providers (the sign-in three are the PAIRS above, under Auth.js's names).
  for (const { entry } of readCatalogueForStart(env)) {
    if (entry.use !== "connect") continue;
    const { id, secret } = credentialVariables(entry);
    if (env[id] && !env[secret]) problems.push(`${id} is set but ${secret} is not: set both to enable ${entry.displayName} ("${entry.id}"), or neither.`);
    if (!env[id] && env[secret]) problems.push(`${secret} is set but ${id} is not: set both to enable ${entry.displayName} ("${entry.id}"), or neither.`);
  }
  for (const extra of ["AUTH_MICROSOFT_ENTRA_ID_ISSUER", "AUTH_MICROSOFT_ENTRA_ID_TENANTS"] as const) {
    if (env[extra] && !env.AUTH_MICROSOFT_ENTRA_ID_ID)
      problems.push(`${extra} is set but AUTH_MICROSOFT_ENTRA_ID_ID is not: set the Entra ID client id (and secret) or remove ${extra}.`);
  }

  const production = env.NODE_ENV === "production";
  const entraEnabled = Boolean(env.AUTH_MICROSOFT_ENTRA_ID_ID && env.AUTH_MICROSOFT_ENTRA_ID_SECRET);
  if (production && entraEnabled && !isEntraTenantRestricted(env)) {
    problems.push(
      `AUTH_MICROSOFT_ENTRA_ID_ISSUER is ${env.AUTH_MICROSOFT_ENTRA_ID_ISSUER ? "a multi-tenant issuer" : 'unset (the multi-tenant "common" issuer)'}: ` +
        "any Entra tenant could sign in and assert any email address. Set AUTH_MICROSOFT_ENTRA_ID_ISSUER to " +
        "https://login.microsoftonline.com/<your tenant id>/v2.0, or list the allowed tenant ids in AUTH_MICROSOFT_ENTRA_ID_TENANTS.",
    );
  }

  const anyRealProvider = REAL_PROVIDER_VARIABLES.some((name) => env[name]);
  const demoWanted = !anyRealProvider;
  if (demoWanted && production && env.DATABASE_URL && env.TESSERA_DEMO !== "1") {
    problems.push(
      "No sign-in provider is configured (AUTH_GOOGLE_ID/_SECRET, AUTH_MICROSOFT_ENTRA_ID_ID/_SECRET, AUTH_GITHUB_ID/_SECRET) " +
        "and this is production on DATABASE_URL. Configure a provider, or set TESSERA_DEMO=1 to run the demo identity provider " +
        "(anyone who can reach it signs in as anyone, the admin included).",
    );
  }
  if (problems.length) throw new ProviderSetupError(problems);
  return { demo: demoWanted };
}
