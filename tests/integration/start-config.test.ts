import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REFUSAL_TIMEOUT_MS, freePort, spawnStart } from "../helpers/spawn-start";

const dataDir = mkdtempSync(path.join(tmpdir(), "tessera-start-secrets-"));
const started: Array<ReturnType<typeof spawnStart>> = [];
afterAll(() => {
  // A regression would start the app instead of refusing: do not leave it running.
  for (const app of started) if (app.child.exitCode === null) app.child.kill("SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
});
const start = (env: Record<string, string>, port: number) => {
  const app = spawnStart(env, port);
  started.push(app);
  return app;
};
const baseEnv = { TESSERA_DATA_DIR: dataDir, DATABASE_URL: "", AUTH_SECRET: "", TOKEN_ENCRYPTION_KEYS: "", PAT_HASH_PEPPER: "", TESSERA_SECRETS_FILE: "" };
const SECRETS = JSON.stringify({ AUTH_SECRET: "a", TOKEN_ENCRYPTION_KEYS: "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", PAT_HASH_PEPPER: "p" });

// Every start here refuses before opening a database: REFUSAL_TIMEOUT_MS (tests/helpers/spawn-start.ts) is seconds of work with room for a loaded machine.
describe("npm start in production on a real database never runs the demo IdP silently", () => {
  const production = {
    ...baseEnv,
    DATABASE_URL: "postgresql://postgres@127.0.0.1:1/nowhere",
    AUTH_SECRET: "a",
    TOKEN_ENCRYPTION_KEYS: "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
    PAT_HASH_PEPPER: "p",
  };

  it(
    "refuses without a provider unless TESSERA_DEMO=1",
    async () => {
      const app = start({ ...production, TESSERA_DEMO: "" }, await freePort());
      expect(await app.exited).toBe(1);
      expect(app.output()).toContain("TESSERA_DEMO=1");
      expect(app.output()).not.toContain("demo identity provider at");
    },
    REFUSAL_TIMEOUT_MS,
  );

  it(
    "refuses a provider with an id but no secret, naming the variable",
    async () => {
      const app = start({ ...production, TESSERA_DEMO: "1", AUTH_GITHUB_ID: "Iv1.abc", AUTH_GITHUB_SECRET: "" }, await freePort());
      expect(await app.exited).toBe(1);
      expect(app.output()).toContain("AUTH_GITHUB_SECRET is not");
    },
    REFUSAL_TIMEOUT_MS,
  );
});

describe("npm start with a bad TESSERA_SEMI_SPACE_MB", () => {
  it(
    // Seen red (the app started) with scripts/start.ts no longer calling semiSpaceFlags(env) among its checks.
    "refuses before opening the database, naming the variable",
    async () => {
      const file = path.join(dataDir, "semi-space-secrets.json");
      writeFileSync(file, SECRETS, { mode: 0o600 });
      const app = start({ ...baseEnv, TESSERA_SECRETS_FILE: file, TESSERA_SEMI_SPACE_MB: "64MB" }, await freePort());
      expect(await app.exited).toBe(1);
      expect(app.output()).toContain("TESSERA_SEMI_SPACE_MB must be a whole number of MB");
      expect(app.output()).not.toContain("embedded PostgreSQL");
    },
    REFUSAL_TIMEOUT_MS,
  );
});

describe("npm start with a group/world-readable secrets file", () => {
  it(
    "refuses to start on the embedded default and prints the chmod command for .data/secrets.json",
    async () => {
      const file = path.join(dataDir, "secrets.json");
      writeFileSync(file, SECRETS);
      chmodSync(file, 0o644);
      const app = start(baseEnv, await freePort());
      expect(await app.exited).toBe(1);
      expect(app.output()).toContain(`chmod 600 ${file}`);
      expect(app.output()).not.toContain("embedded PostgreSQL"); // stopped before opening the database
    },
    REFUSAL_TIMEOUT_MS,
  );

  it(
    "refuses TESSERA_SECRETS_FILE elsewhere too, even in production on a real database",
    async () => {
      const file = path.join(dataDir, "elsewhere", "tessera.json");
      rmSync(path.dirname(file), { recursive: true, force: true });
      mkdirSync(path.dirname(file));
      writeFileSync(file, SECRETS);
      chmodSync(file, 0o640);
      const app = start({ ...baseEnv, TESSERA_SECRETS_FILE: file, DATABASE_URL: "postgresql://postgres@127.0.0.1:1/nowhere" }, await freePort());
      expect(await app.exited).toBe(1);
      expect(app.output()).toContain(`chmod 600 ${file}`);
    },
    REFUSAL_TIMEOUT_MS,
  );
});
