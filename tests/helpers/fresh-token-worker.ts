// A separate process asking for a fresh access token COUNT times at once (single-flight test).
import { createHash } from "node:crypto";
import { connectDatabase } from "@/lib/db/client";
import { getFreshAccessToken } from "@/lib/provider-tokens/provider-token-store";

const { WORKER_DATABASE_URL, USER_ID, PROVIDER, COUNT, START_AT } = process.env;
await connectDatabase(WORKER_DATABASE_URL!, { poolMax: 10 });
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(START_AT) - Date.now())));
const results = await Promise.allSettled(Array.from({ length: Number(COUNT) }, () => getFreshAccessToken(USER_ID!, PROVIDER!)));
// Hashes only: test output must not carry token values either.
const digests = results.map((r) => (r.status === "fulfilled" ? createHash("sha256").update(r.value.accessToken).digest("hex") : `error:${(r.reason as Error).message}`));
process.stdout.write(JSON.stringify(digests));
process.exit(0);
