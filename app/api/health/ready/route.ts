import { checkReadiness } from "@/lib/runtime/check-readiness";
import { asDocumented } from "@/lib/http/as-documented";
import { readinessSchema } from "@/lib/runtime/health-schemas";

export const dynamic = "force-dynamic";

/** Readiness: 200 when this instance can serve (database, migrations, workers); 503 with the reason otherwise. */
export async function GET() {
  const readiness = await checkReadiness();
  return Response.json(asDocumented(readinessSchema, readiness.ready ? { status: "ready" } : { status: "not_ready", reason: readiness.reason }), {
    status: readiness.ready ? 200 : 503,
    headers: { "cache-control": "no-store" },
  });
}
