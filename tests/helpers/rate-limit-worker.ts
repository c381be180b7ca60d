// A separate app instance counting calls of one service client (rate limit across processes). It
// connects, says "ready", and on "go" makes CALLS calls through the token endpoint's own path
// (authenticate and count in one statement), then reports how many were allowed.
import { closeDatabase, connectDatabase } from "@/lib/db/client";
import { authenticateAndCountServiceClient } from "@/lib/service-clients/authenticate-service-client";

const { WORKER_DATABASE_URL, CLIENT_ID, CLIENT_SECRET, CALLS } = process.env;
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
  const counted = await authenticateAndCountServiceClient(CLIENT_ID!, CLIENT_SECRET!);
  if (!counted) throw new Error("the client did not authenticate");
  const wait = counted.retryAfterSeconds;
  if (wait) {
    refused++;
    retryAfter = Math.max(retryAfter, wait);
  } else allowed++;
}
process.stdout.write(JSON.stringify({ allowed, refused, retryAfter }));
await closeDatabase();
process.exit(0);
