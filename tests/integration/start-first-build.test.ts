import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { START_TIMEOUT_MS, freePort, spawnStart } from "../helpers/spawn-start";

/*
 * Issue 26 §6: `npm start` runs a missing or stale build beside the database's start, migrations and the demo IdP
 * (lib/runtime/background-build.ts). A real first build takes a minute and would rewrite the `.next` other tests
 * serve, so these run start.ts in a copy of the project whose scripts/build.ts is a stand-in: a process that
 * starts a child (as tsx → next build does) and either fails at once or runs until it is stopped. What is tested is
 * start.ts's wiring around the build, not `next build`; every CI run's `npm run build` and each fresh-clone check
 * in README's Performance section cover the build itself.
 */
const root = mkdtempSync(path.join(tmpdir(), "tessera-first-build-"));
const STAND_IN_BUILD = `
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
console.log("stand-in build: started");
if (process.env.STAND_IN_BUILD === "fail") process.exit(2);
const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
writeFileSync("build.pids", \`\${process.pid} \${child.pid}\`);
writeFileSync("build-child.pid", String(child.pid));
setInterval(() => {}, 1000);
`;
for (const entry of ["lib", "scripts", "prisma", "package.json", "tsconfig.json"]) {
  cpSync(entry, path.join(root, entry), { recursive: true, filter: (source) => !source.endsWith(".test.ts") });
}
symlinkSync(path.resolve("node_modules"), path.join(root, "node_modules"));
writeFileSync(path.join(root, "scripts", "build.ts"), STAND_IN_BUILD);
mkdirSync(path.join(root, "data"));

const started: Array<ReturnType<typeof spawnStart>> = [];
afterAll(() => {
  for (const app of started) if (app.child.exitCode === null) app.child.kill("SIGKILL");
  // A regression would leave the stand-in build and its child running: do not leave them behind either.
  const pidsFile = path.join(root, "build.pids");
  for (const pid of existsSync(pidsFile) ? readFileSync(pidsFile, "utf8").split(" ").map(Number) : []) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // stopped, as it should be
    }
  }
  rmSync(root, { recursive: true, force: true });
});

const SECRETS = { AUTH_SECRET: "a", TOKEN_ENCRYPTION_KEYS: "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", PAT_HASH_PEPPER: "p" };

/** Running, not a zombie: a container's PID 1 may never reap an orphan that was killed. */
function alive(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return false;
  }
}

describe("npm start with a missing build (the build runs beside the database's start)", () => {
  it(
    "starts the build before the embedded database, and a failed build stops the start with the database closed",
    async () => {
      const app = spawnStart({ ...SECRETS, DATABASE_URL: "", TESSERA_DATA_DIR: path.join(root, "data"), STAND_IN_BUILD: "fail" }, await freePort(), root);
      started.push(app);
      expect(await app.exited).toBe(1);
      const output = app.output();
      // Before: the build ran after the migrations and the demo IdP, one after the other. Seen red with the build's
      // start moved back there: "building the app" came after the database's line (and the second case hung).
      expect(output.indexOf("stand-in build: started")).toBeGreaterThan(-1);
      expect(output.indexOf("building the app")).toBeLessThan(output.indexOf("embedded PostgreSQL (PGlite)"));
      // The database, migrations and IdP still came up, and the failed build is reported once they did.
      expect(output).toContain("applied migrations:");
      expect(output).toContain("next build failed (the build exited with code 2");
      expect(output).toContain("embedded database closed");
      expect(output).not.toContain("starting the app server");
    },
    START_TIMEOUT_MS,
  );

  it(
    "a start that fails while the build runs stops the build and what it started",
    async () => {
      // A "database" that drops its connection once the stand-in build has started its child: the migrations
      // fail while the build is certainly running.
      const pidFile = path.join(root, "build-child.pid");
      const database = createServer((socket) => {
        const drop = setInterval(() => {
          if (!existsSync(pidFile)) return;
          clearInterval(drop);
          socket.destroy();
        }, 50);
        socket.on("close", () => clearInterval(drop));
      });
      await new Promise<void>((resolve) => database.listen(0, "127.0.0.1", resolve));
      const { port } = database.address() as AddressInfo;
      const env = { ...SECRETS, DATABASE_URL: `postgresql://postgres@127.0.0.1:${port}/nowhere`, TESSERA_DEMO: "1", TESSERA_DATA_DIR: path.join(root, "data") };
      const app = spawnStart(env, await freePort(), root);
      started.push(app);
      expect(await app.exited).toBe(1);
      database.close();
      expect(app.output()).toContain("stand-in build: started");
      expect(app.output()).toContain("start failed");
      const buildChild = Number(readFileSync(pidFile, "utf8"));
      // Seen red with `build?.cancel()` taken out of start.ts's stop(): the build's child was still running.
      const deadline = Date.now() + 10_000;
      while (alive(buildChild) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(alive(buildChild)).toBe(false);
    },
    START_TIMEOUT_MS,
  );
});
