import { checkDatabase } from "@/lib/db/check-database";
import { getProviderMode } from "@/lib/providers/catalog";
import { asDocumented } from "@/lib/http/as-documented";
import { healthSchema } from "@/lib/runtime/health-schemas";

export const dynamic = "force-dynamic";

export async function GET() {
  const ok = await checkDatabase();
  return Response.json(
    // mode: "demo" while the demo identity provider (anyone can sign in as anyone) stands in for the real ones.
    asDocumented(healthSchema, { status: ok ? "ok" : "degraded", database: ok ? "ok" : "unavailable", mode: getProviderMode() }),
    { status: ok ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
}
