import { asDocumented } from "@/lib/http/as-documented";
import { livenessSchema } from "@/lib/runtime/health-schemas";

export const dynamic = "force-dynamic";

/** Liveness: the process is up and serving. No database call, so a database outage never restarts it. */
export async function GET() {
  return Response.json(asDocumented(livenessSchema, { status: "ok" }), { headers: { "cache-control": "no-store" } });
}
