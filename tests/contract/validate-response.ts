import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import type { OpenApiDocument } from "@/lib/api-docs/openapi-document";

// ajv-formats is CommonJS; its default export arrives wrapped under some loaders.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as typeof addFormatsModule;

export type Observed = { method: string; path: string; status: number; contentType: string | null; text: string };

type JsonObject = Record<string, unknown>;

/** `#/components/schemas/X` → `#/$defs/X`, so one response schema plus the components compile on their own. */
function rebase(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rebase);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [
        key,
        key === "$ref" && typeof inner === "string" ? inner.replace("#/components/schemas/", "#/$defs/") : rebase(inner),
      ]),
    );
  }
  return value;
}

/**
 * Checks one observed response against the document: the operation exists, the status is listed,
 * the content type is one documented for it, and a JSON body validates (JSON Schema 2020-12, formats
 * included). Returns what is wrong, or null. The message names route, method and status.
 */
export function createResponseValidator(document: OpenApiDocument) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const defs = rebase(document.components?.schemas ?? {}) as JsonObject;
  const compiled = new Map<string, ValidateFunction>();

  return function problemWith(observed: Observed): string | null {
    const where = `${observed.method} ${observed.path}`;
    const operation = (document.paths?.[observed.path] as JsonObject | undefined)?.[observed.method.toLowerCase()] as JsonObject | undefined;
    if (!operation) return `${where} is not in the API reference: document it in lib/api-docs/paths/ (see README, "Documenting a route").`;
    const responses = operation.responses as Record<string, JsonObject>;
    const documented = responses[String(observed.status)];
    const sample = observed.text.slice(0, 300);
    if (!documented)
      return `${where} answered ${observed.status}, a status its API reference entry does not list (documented: ${Object.keys(responses).join(", ")}). Body: ${sample}`;
    const content = documented.content as Record<string, JsonObject> | undefined;
    if (!content) return observed.text.length ? `${where} ${observed.status} has a body, but is documented without one. Body: ${sample}` : null;
    const type = observed.contentType?.split(";")[0]!.trim().toLowerCase() ?? null;
    // A proxied answer may be documented as `*/*` or `text/*`; only a documented JSON body is validated.
    const media = type ? (content[type] ?? content[`${type.split("/")[0]}/*`] ?? content["*/*"]) : content["*/*"];
    if (!media) return `${where} ${observed.status} answered content type ${type ?? "(none)"}, documented: ${Object.keys(content).join(", ")}.`;
    if (type !== "application/json" || !content[type]) return null;
    let body: unknown;
    try {
      body = JSON.parse(observed.text);
    } catch {
      return `${where} ${observed.status} is documented as JSON but its body is not JSON: ${sample}`;
    }
    const key = `${where} ${observed.status}`;
    let validate = compiled.get(key);
    if (!validate) {
      validate = ajv.compile({ ...(rebase(media.schema) as JsonObject), $defs: defs });
      compiled.set(key, validate);
    }
    if (validate(body)) return null;
    return `${where} ${observed.status}: the body does not match the documented schema: ${ajv.errorsText(validate.errors, { dataVar: "body" })}. Body: ${sample}`;
  };
}
