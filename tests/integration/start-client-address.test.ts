import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { MAX_FAILURES } from "@/lib/rate-limit/auth-failure-limiter";
import { generatePatSecret } from "@/lib/pat/format";
import { isBuildCurrent } from "@/lib/runtime/build-fingerprint";
import { AFTER_START_MS, START_TIMEOUT_MS, freePort, spawnStart, waitForHealthy } from "../helpers/spawn-start";

const built = isBuildCurrent();
const dataDir = mkdtempSync(path.join(tmpdir(), "tessera-address-"));
const env = { TESSERA_DATA_DIR: dataDir, DATABASE_URL: "", AUTH_SECRET: "", TOKEN_ENCRYPTION_KEYS: "", PAT_HASH_PEPPER: "", TRUSTED_PROXY_HOPS: "" };

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe.skipIf(!built)(`npm start and forged client addresses${built ? "" : " [skipped: run `npm run build` first]"}`, () => {
  it(
    "counts failures by the socket's address, whatever X-Forwarded-For and X-Real-IP say",
    async () => {
      const app = spawnStart(env, await freePort());
      await waitForHealthy(app);
      try {
        // Before (`next start`): each forged value was its own bucket, so rotating them never hit 429.
        const statuses: number[] = [];
        for (let i = 0; i <= MAX_FAILURES; i++) {
          const forged = `198.51.100.${i + 1}`;
          const response = await fetch(`${app.url}/api/v1/me`, {
            headers: { authorization: `Bearer ${generatePatSecret()}`, "x-forwarded-for": forged, "x-real-ip": forged },
          });
          statuses.push(response.status);
        }
        expect(statuses.slice(0, MAX_FAILURES)).toEqual(Array(MAX_FAILURES).fill(401));
        expect(statuses[MAX_FAILURES]).toBe(429);

        const port = /PGlite\) on 127\.0\.0\.1:(\d+)/.exec(app.output())![1];
        const client = new pg.Client({ connectionString: `postgresql://postgres@127.0.0.1:${port}/postgres` });
        await client.connect();
        const { rows } = await client.query<{ key: string; points: number }>(`SELECT key, points FROM "RateLimit"`);
        await client.end();
        // Counted in the database (one bucket: the real peer), never under an address the client chose.
        expect(rows).toEqual([{ key: "auth-fail:127.0.0.1", points: MAX_FAILURES + 1 }]);
      } finally {
        app.child.kill("SIGINT");
        expect(await app.exited).toBe(130);
      }
      // One start, then a handful of requests (limits: tests/helpers/spawn-start.ts).
    },
    START_TIMEOUT_MS + AFTER_START_MS,
  );
});
