import type { Access } from "./route-doc";
import type { OpenApiDocument } from "./openapi-document";

/** What /docs renders: the OpenAPI document, read back into sections a person scans. */
export type ReferenceField = { name: string; type: string; required: boolean; description: string | null };
export type ReferenceParameter = ReferenceField & { in: string };
export type ReferenceResponse = { status: string; description: string; contentType: string | null; example: string | null };
export type ReferenceEndpoint = {
  anchor: string;
  method: string;
  path: string;
  summary: string;
  description: string | null;
  access: { label: string; detail: string | null };
  parameters: ReferenceParameter[];
  requestBody: { contentType: string; fields: ReferenceField[]; example: string | null } | null;
  responses: ReferenceResponse[];
  curl: string;
};
export type ReferenceSection = { name: string; description: string | null; anchor: string; endpoints: ReferenceEndpoint[] };

type Schema = Record<string, unknown>;
const METHODS = ["get", "head", "post", "put", "patch", "delete", "options"] as const;

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

function resolver(document: OpenApiDocument) {
  const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
  return (schema: Schema | undefined): Schema | undefined => {
    const ref = schema?.$ref;
    return typeof ref === "string" ? schemas[ref.replace("#/components/schemas/", "")] : schema;
  };
}

/** A short type: `string`, `"a" | "b"`, `Token[]`, `string | null`. */
export function typeLabel(schema: Schema | undefined): string {
  if (!schema) return "any";
  if (typeof schema.$ref === "string") return schema.$ref.split("/").pop()!;
  if ("const" in schema) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.map((value) => JSON.stringify(value)).join(" | ");
  const union = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (union) return [...new Set(union.map(typeLabel))].join(" | ");
  const type = schema.type;
  if (Array.isArray(type)) return type.join(" | ");
  if (type === "array") return `${typeLabel(schema.items as Schema)}[]`;
  if (type === "string" && typeof schema.format === "string") return `string (${schema.format})`;
  return typeof type === "string" ? type : "any";
}

/** An example value: the schema's own example where it has one, else one made from its type. */
export function exampleOf(schema: Schema | undefined, resolve: (schema: Schema | undefined) => Schema | undefined, depth = 0): unknown {
  const target = resolve(schema);
  if (!target || depth > 8) return null;
  if (target.example !== undefined) return target.example;
  if (Array.isArray(target.examples) && target.examples.length) return target.examples[0];
  if ("const" in target) return target.const;
  if (Array.isArray(target.enum)) return target.enum[0];
  if (target.default !== undefined) return target.default;
  const union = (target.anyOf ?? target.oneOf) as Schema[] | undefined;
  if (union?.length) return exampleOf(union[union.length - 1], resolve, depth + 1);
  const type = Array.isArray(target.type) ? target.type.find((t) => t !== "null") : target.type;
  switch (type) {
    case "object": {
      const properties = (target.properties ?? {}) as Record<string, Schema>;
      return Object.fromEntries(Object.entries(properties).map(([name, inner]) => [name, exampleOf(inner, resolve, depth + 1)]));
    }
    case "array":
      return [exampleOf(target.items as Schema, resolve, depth + 1)];
    case "string":
      return target.format === "date-time" ? "2026-11-24T12:00:00.000Z" : target.format === "date" ? "2026-12-31" : "string";
    case "integer":
    case "number":
      return typeof target.minimum === "number" ? target.minimum : 0;
    case "boolean":
      return false;
    default:
      return null;
  }
}

function fieldsOf(schema: Schema | undefined, resolve: (schema: Schema | undefined) => Schema | undefined): ReferenceField[] {
  const target = resolve(schema);
  const properties = (target?.properties ?? {}) as Record<string, Schema>;
  const required = new Set((target?.required as string[] | undefined) ?? []);
  return Object.entries(properties).map(([name, inner]) => ({
    name,
    type: typeLabel(inner),
    required: required.has(name),
    description: (resolve(inner)?.description as string | undefined) ?? null,
  }));
}

function accessLabel(access: (Access & { scopeDescription?: string }) | undefined): ReferenceEndpoint["access"] {
  switch (access?.kind) {
    case "user":
      if (!access.scope) return { label: "Signed-in session only (same origin)", detail: "Personal access tokens are not accepted here." };
      return {
        label: `${access.admin ? "Admins: " : ""}personal access token with scope ${access.scope}, or a signed-in session`,
        detail: access.scopeDescription ?? null,
      };
    case "oauth-client":
      return {
        label: access.optional
          ? "Service client authentication optional"
          : `Service client authentication${access.permission ? ` (permission ${access.permission})` : ""}`,
        detail: "HTTP Basic with client_id and client_secret (client_secret_basic), or both in the form (client_secret_post).",
      };
    case "metrics":
      return { label: "METRICS_TOKEN bearer token, or loopback only when unset", detail: null };
    case "service":
      return {
        label: `Service access token with ${access.permission}`,
        detail: "A tsr_sat_… token from the client_credentials grant at /api/oauth/token, in Authorization: Bearer.",
      };
    default:
      return { label: "Public", detail: null };
  }
}

const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** A curl command for the operation against `serverUrl`, with the credentials its access needs. */
export function curlExample(input: {
  serverUrl: string;
  method: string;
  path: string;
  access: Access | undefined;
  body: { contentType: string; example: unknown } | null;
}): string {
  const path = input.path.replace(/\{([^}]+)\}/g, (_, name: string) => `<${name}>`);
  const lines = [`curl${input.method === "GET" ? "" : ` -X ${input.method}`} "${input.serverUrl}${path}"`];
  switch (input.access?.kind) {
    case "user":
      if (input.access.scope) lines.push(`-H "Authorization: Bearer $TESSERA_TOKEN"`);
      else lines.push(`-H "Origin: ${input.serverUrl}"`, `-b "authjs.session-token=$SESSION_COOKIE"`);
      break;
    case "oauth-client":
      lines.push(`-u "$CLIENT_ID:$CLIENT_SECRET"`);
      break;
    case "metrics":
      lines.push(`-H "Authorization: Bearer $METRICS_TOKEN"`);
      break;
    case "service":
      lines.push(`-H "Authorization: Bearer $SERVICE_TOKEN"`, `-H "Tessera-On-Behalf-Of: $USER_ID"`, `-H "Tessera-Purpose: why you call"`);
      break;
  }
  if (input.body?.contentType === "application/json" || (input.body?.contentType === "*/*" && input.body.example != null)) {
    lines.push(`-H "Content-Type: application/json"`, `-d ${shellQuote(JSON.stringify(input.body.example))}`);
  } else if (input.body?.contentType === "application/x-www-form-urlencoded" && input.body.example && typeof input.body.example === "object") {
    for (const [name, value] of Object.entries(input.body.example)) lines.push(`--data-urlencode ${shellQuote(`${name}=${String(value)}`)}`);
  }
  return lines.join(" \\\n  ");
}

export function buildReference(document: OpenApiDocument): ReferenceSection[] {
  const resolve = resolver(document);
  const serverUrl = document.servers?.[0]?.url ?? "";
  const sections: ReferenceSection[] = (document.tags ?? []).map((tag) => ({
    name: tag.name,
    description: tag.description ?? null,
    anchor: slug(tag.name),
    endpoints: [],
  }));
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of METHODS) {
      const operation = (item as Record<string, Schema | undefined>)[method];
      if (!operation) continue;
      const access = operation["x-tessera-access"] as (Access & { scopeDescription?: string }) | undefined;
      const parameters = ((operation.parameters ?? []) as Schema[]).map((parameter) => ({
        name: String(parameter.name),
        in: String(parameter.in),
        required: Boolean(parameter.required),
        type: typeLabel(parameter.schema as Schema),
        description: ((parameter.description ?? resolve(parameter.schema as Schema)?.description) as string | undefined) ?? null,
      }));
      const bodyContent = (operation.requestBody as Schema | undefined)?.content as Record<string, Schema> | undefined;
      const [bodyType, bodyMedia] = Object.entries(bodyContent ?? {})[0] ?? [];
      const bodyExample = bodyMedia ? (bodyMedia.example ?? exampleOf(bodyMedia.schema as Schema, resolve)) : null;
      const responses = Object.entries((operation.responses ?? {}) as Record<string, Schema>).map(([status, response]) => {
        const [contentType, media] = Object.entries((response.content ?? {}) as Record<string, Schema>)[0] ?? [];
        const example = media && contentType === "application/json" ? (media.example ?? exampleOf(media.schema as Schema, resolve)) : null;
        return {
          status,
          description: String(response.description ?? ""),
          contentType: contentType ?? null,
          example: example === null ? null : JSON.stringify(example, null, 2),
        };
      });
      const upper = method.toUpperCase();
      const endpoint: ReferenceEndpoint = {
        anchor: slug(`${upper} ${path}`),
        method: upper,
        path,
        summary: String(operation.summary ?? `${upper} ${path}`),
        description: (operation.description as string | undefined) ?? null,
        access: accessLabel(access),
        parameters,
        requestBody:
          bodyType && bodyMedia
            ? {
                contentType: bodyType,
                fields: fieldsOf(bodyMedia.schema as Schema, resolve),
                example: bodyExample === null ? null : JSON.stringify(bodyExample, null, 2),
              }
            : null,
        responses,
        curl: curlExample({ serverUrl, method: upper, path, access, body: bodyType ? { contentType: bodyType, example: bodyExample } : null }),
      };
      const tag = ((operation.tags as string[] | undefined) ?? [])[0];
      const section = sections.find((s) => s.name === tag) ?? sections[sections.length - 1];
      section?.endpoints.push(endpoint);
    }
  }
  return sections.filter((section) => section.endpoints.length);
}
