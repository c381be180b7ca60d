// A separate process asking once for a fresh access token (single-flight test). It connects first,
// says "ready", and calls getFreshAccessToken when the test writes "go" on stdin, so that several
// processes contend on the database lease at the same moment.
import { createHash } from "node:crypto";
import { closeDatabase, connectDatabase, getDb } from "@/lib/db/client";
import { getFreshAccessToken } from "@/lib/provider-tokens/get-fresh-access-token";

const { WORKER_DATABASE_URL, USER_ID, PROVIDER } = process.env;
await connectDatabase(WORKER_DATABASE_URL!, { poolMax: 2 });
await getDb().$queryRaw`SELECT 1`;
process.stderr.write("ready\n");
const go = await new Promise<boolean>((resolve) => {
  process.stdin.once("data", () => resolve(true));
  // The test went away without saying go: do not linger with open database connections.
  process.stdin.once("end", () => resolve(false));
});
if (!go) process.exit(1);

const start = Date.now();
let report: Record<string, unknown>;
try {
  const token = await getFreshAccessToken(USER_ID!, PROVIDER!);
  // A digest only: test output must not carry token values either.
  report = { start, end: Date.now(), refreshed: token.refreshed, digest: createHash("sha256").update(token.accessToken).digest("hex") };
} catch (error) {
  report = { start, end: Date.now(), error: (error as Error).message };
}
process.stdout.write(JSON.stringify(report));
await closeDatabase();
process.exit(0);
