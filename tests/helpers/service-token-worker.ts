// Another app instance (its own process, its own memory and pool) checking service access tokens the
// way the proxy's service door (verifyServiceCall) and introspection do. It connects, says "ready", then answers
// each token written to stdin, one per line, with one JSON line: {"verified": bool, "active": bool}.
import { createInterface } from "node:readline";
import { closeDatabase, connectDatabase } from "@/lib/db/client";
import { introspectToken } from "@/lib/oauth/introspect-token";
import { verifyServiceCall } from "@/lib/service-clients/verify-service-call";

await connectDatabase(process.env.WORKER_DATABASE_URL!, { poolMax: 2 });
process.stderr.write("ready\n");
for await (const line of createInterface({ input: process.stdin })) {
  const token = line.trim();
  const verified = (await verifyServiceCall(token, null)).ok;
  const { active } = await introspectToken(token);
  process.stdout.write(`${JSON.stringify({ verified, active })}\n`);
}
await closeDatabase();
process.exit(0);
