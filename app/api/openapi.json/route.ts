import type { NextRequest } from "next/server";
import { getOpenApiDocument } from "@/lib/api-docs/openapi-document";
import { referenceServerUrl } from "@/lib/api-docs/server-url";

export const dynamic = "force-dynamic";

/** The API reference, machine-readable. Public: it describes the API and holds no secrets. */
export async function GET(request: NextRequest) {
  const document = getOpenApiDocument(referenceServerUrl(request.headers, request.nextUrl.origin));
  return Response.json(document, { headers: { "cache-control": "no-store" } });
}
