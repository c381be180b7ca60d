// A separate app instance counting calls of one service client (rate limit across processes). It
// connects, says "ready", and on "go" makes CALLS calls, then reports how many were allowed.
import { closeDatabase, connectDatabase } from "@/lib/db/client";
import { consumeServiceRateLimit } from "@/lib/services/consume-service-rate-limit";

const { WORKER_DATABASE_URL, SERVICE_ID, LIMIT, CALLS } = process.env;
await connectDatabase(WORKER_DATABASE_URL!, { poolMax: 2 });
process.stderr.write("ready\n");
const go = await new Promise<boolean>((resolve) => {
  process.stdin.once("data", () => resolve(true));
  process.stdin.once("end", () => resolve(false));
});
if (!go) process.exit(1);
let allowed = 0;
let refused = 0;
let retryAfter = 0;
for (let i = 0; i < Number(CALLS); i++) {
  const wait = await consumeServiceRateLimit(SERVICE_ID!, Number(LIMIT));
  if (wait) {
    refused++;
    retryAfter = Math.max(retryAfter, wait);
  } else allowed++;
}
process.stdout.write(JSON.stringify({ allowed, refused, retryAfter }));
await closeDatabase();
process.exit(0);
