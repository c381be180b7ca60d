import { z } from "zod";
import { defineArea } from "../route-doc";

export const openApiDocumentSchema = z
  .looseObject({ openapi: z.literal("3.1.0"), info: z.looseObject({ title: z.string(), version: z.string() }), paths: z.record(z.string(), z.unknown()) })
  .meta({ id: "OpenApiDocument", description: "This document." });

export const referenceArea = defineArea({
  tag: { name: "Reference", description: "This API reference, machine-readable. Public: it describes the API and holds no secrets." },
  routes: [
    {
      method: "GET",
      path: "/api/openapi.json",
      access: { kind: "public" },
      operation: {
        operationId: "getOpenApiDocument",
        summary: "The OpenAPI 3.1 document",
        description: "Generated from the zod schemas the routes validate with; `servers` is this server's URL. /docs renders it.",
        responses: { 200: { description: "The OpenAPI document.", content: { "application/json": { schema: openApiDocumentSchema } } } },
      },
    },
  ],
});
