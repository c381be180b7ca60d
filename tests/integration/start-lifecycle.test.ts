import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { isBuildCurrent } from "@/lib/runtime/build-fingerprint";
import { AFTER_START_MS, REFUSAL_TIMEOUT_MS, START_TIMEOUT_MS, freePort, spawnStart, waitForHealthy } from "../helpers/spawn-start";

const built = isBuildCurrent();
const dataDir = mkdtempSync(path.join(tmpdir(), "tessera-start-"));
const baseEnv = { TESSERA_DATA_DIR: dataDir, DATABASE_URL: "", AUTH_SECRET: "", TOKEN_ENCRYPTION_KEYS: "", PAT_HASH_PEPPER: "" };

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function embeddedUrl(output: string): string {
  const port = /PGlite\) on 127\.0\.0\.1:(\d+)/.exec(output)?.[1];
  if (!port) throw new Error(`no embedded port in output:\n${output}`);
  return `postgresql://postgres@127.0.0.1:${port}/postgres`;
}

describe.skipIf(!built)(`npm start on the embedded database${built ? "" : " [skipped: run `npm run build` first]"}`, () => {
  it(
    "serves, keeps data across a Ctrl-C restart, and generates its secrets once with mode 0600",
    async () => {
      const port = await freePort();
      const first = spawnStart(baseEnv, port);
      await waitForHealthy(first);
      expect((await fetch(`${first.url}/`)).status).toBe(200);

      const client = new pg.Client({ connectionString: embeddedUrl(first.output()) });
      await client.connect();
      await client.query(`INSERT INTO "User" (id, email, "updatedAt") VALUES ('survivor', 'survivor@example.com', now())`);
      await client.end();

      first.child.kill("SIGINT");
      expect(await first.exited).toBe(130);
      expect(first.output()).toContain("embedded database closed");

      const secretsFile = path.join(dataDir, "secrets.json");
      expect(statSync(secretsFile).mode & 0o777).toBe(0o600);
      const secretsBefore = statSync(secretsFile).mtimeMs;

      const second = spawnStart(baseEnv, port);
      await waitForHealthy(second);
      const again = new pg.Client({ connectionString: embeddedUrl(second.output()) });
      await again.connect();
      const rows = await again.query(`SELECT email FROM "User" WHERE id = 'survivor'`);
      await again.end();
      expect(rows.rows).toEqual([{ email: "survivor@example.com" }]);
      expect(statSync(secretsFile).mtimeMs).toBe(secretsBefore);

      second.child.kill("SIGTERM");
      expect(await second.exited).toBe(0); // an orchestrator's stop is a clean stop
      // Two starts one after the other (before, 180 s for both: 150 s each were allowed to reach healthy).
    },
    2 * START_TIMEOUT_MS + AFTER_START_MS,
  );
});

describe("npm start on a real database in production", () => {
  it(
    "refuses to start without its secrets and names the missing variables",
    async () => {
      const app = spawnStart({ ...baseEnv, DATABASE_URL: "postgresql://postgres@127.0.0.1:1/nowhere" }, await freePort());
      expect(await app.exited).toBe(1);
      expect(app.output()).toMatch(/Missing required secrets: AUTH_SECRET, TOKEN_ENCRYPTION_KEYS, PAT_HASH_PEPPER/);
      // A refusal exits before opening a database: seconds, with room for a loaded machine.
    },
    REFUSAL_TIMEOUT_MS,
  );
});
