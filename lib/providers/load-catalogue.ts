import { readFileSync } from "node:fs";
import shipped from "./catalog.json" with { type: "json" };
import { catalogueFileSchema, providerEntrySchema, type ProviderEntry } from "./provider-entry";

type Env = Readonly<Record<string, string | undefined>>;

/** The variable that names the operator's own catalogue file (JSON, same shape as lib/providers/catalog.json). */
export const OPERATOR_CATALOGUE_VARIABLE = "TESSERA_PROVIDERS_FILE";
const SHIPPED_SOURCE = "lib/providers/catalog.json";

/** A catalogue entry (or file) Tessera cannot use: names the entry, the field and where it came from. */
export class CatalogueError extends Error {
  readonly code = "invalid_provider_catalogue";

  constructor(
    readonly entry: string,
    readonly field: string,
    /** The variable that brought the file in (TESSERA_PROVIDERS_FILE), or the shipped file's path. */
    readonly source: string,
    readonly problem: string,
  ) {
    super(`provider catalogue entry "${entry}" (from ${source}): ${field}: ${problem}`);
    this.name = "CatalogueError";
  }
}

function parseCatalogueFile(raw: unknown, source: string): ProviderEntry[] {
  const file = catalogueFileSchema.safeParse(raw);
  if (!file.success) {
    const issue = file.error.issues[0]!;
    throw new CatalogueError("(file)", issue.path.join(".") || "(root)", source, `${issue.message}; expected {"providers": [ … ]}`);
  }
  const seen = new Set<string>();
  return file.data.providers.map((candidate, index) => {
    const rawId = (candidate as { id?: unknown } | null)?.id;
    const entry = typeof rawId === "string" && rawId ? rawId : `#${index + 1}`;
    const parsed = providerEntrySchema.safeParse(candidate);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new CatalogueError(entry, issue.path.join(".") || "(entry)", source, issue.message);
    }
    if (seen.has(parsed.data.id)) throw new CatalogueError(entry, "id", source, "appears twice");
    seen.add(parsed.data.id);
    return parsed.data;
  });
}

let shippedEntries: ProviderEntry[] | undefined;

/** The entries shipped in lib/providers/catalog.json, validated once. */
export function readShippedCatalogue(): ProviderEntry[] {
  shippedEntries ??= parseCatalogueFile(shipped, SHIPPED_SOURCE);
  return shippedEntries;
}

const operatorEntries = new Map<string, ProviderEntry[]>();

/**
 * The operator's entries from the file TESSERA_PROVIDERS_FILE names (read once per path), or [] when unset.
 * They may only add connect-only providers: the three sign-in providers are Auth.js's and stay as shipped.
 */
export function readOperatorCatalogue(env: Env = process.env): ProviderEntry[] {
  const path = env[OPERATOR_CATALOGUE_VARIABLE]?.trim();
  if (!path) return [];
  const cached = operatorEntries.get(path);
  if (cached) return cached;
  const source = `${OPERATOR_CATALOGUE_VARIABLE}=${path}`;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    const reason = error instanceof SyntaxError ? `not valid JSON (${error.message})` : "cannot be read";
    throw new CatalogueError("(file)", "(file)", source, reason);
  }
  const shippedIds = new Set(readShippedCatalogue().map((entry) => entry.id));
  const entries = parseCatalogueFile(raw, source);
  for (const entry of entries) {
    if (shippedIds.has(entry.id)) throw new CatalogueError(entry.id, "id", source, "is already a shipped entry: pick another id");
    if (entry.use !== "connect") throw new CatalogueError(entry.id, "use", source, 'must be "connect": only the three built-ins sign people in');
  }
  operatorEntries.set(path, entries);
  return entries;
}

/** Every entry: the shipped ones, then the operator's. Throws a CatalogueError for the first broken one. */
export function readCatalogue(env: Env = process.env): ProviderEntry[] {
  return [...readShippedCatalogue(), ...readOperatorCatalogue(env)];
}

/**
 * The pair of variables that enables an entry: Auth.js's names for the sign-in providers (AUTH_GOOGLE_ID, …,
 * unchanged), TESSERA_PROVIDER_<ID>_ID / _SECRET for the others (dashes become underscores).
 */
export function credentialVariables(entry: Pick<ProviderEntry, "id" | "use">): { id: string; secret: string } {
  const name = entry.id.toUpperCase().replace(/-/g, "_");
  const prefix = entry.use === "sign-in" ? `AUTH_${name}` : `TESSERA_PROVIDER_${name}`;
  return { id: `${prefix}_ID`, secret: `${prefix}_SECRET` };
}
