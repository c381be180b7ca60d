import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { semiSpaceFlags } from "../../lib/config/semi-space";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

/*
 * Issue 26's yardstick: a throwaway Next app of the same version, with one route handler that runs `select 1` on the
 * same database, built and started with `next build` / `next start` (no middleware, no wrapper). What Tessera's
 * /api/health and a PAT call are measured against: the framework's floor on this machine, in the same run.
 * It lives in .data/ so that it resolves next, react and pg from this project's node_modules (the same versions).
 */
export type BareNext = { url: string; stop: () => Promise<void> };

const ROUTE = `import pg from "pg";
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_MAX ?? 4) });
export const dynamic = "force-dynamic";
export async function GET() {
  await pool.query("select 1");
  return Response.json({ status: "ok" }, { headers: { "cache-control": "no-store" } });
}
`;

export async function startBareNext(input: { databaseUrl: string; port: number; poolMax: number }): Promise<BareNext> {
  const dir = path.resolve(".data/bench-bare-next");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, "app/api/select1"), { recursive: true });
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "bare-next", private: true, type: "module" }));
  writeFileSync(path.join(dir, "next.config.mjs"), `export default { poweredByHeader: false, serverExternalPackages: ["pg"] };\n`);
  writeFileSync(path.join(dir, "app/api/select1/route.js"), ROUTE);
  const nextBin = path.resolve("node_modules/next/dist/bin/next");
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" };
  const built = spawnSync(process.execPath, [nextBin, "build", dir], { env, encoding: "utf8" });
  if (built.status !== 0) throw new Error(`bare Next build failed:\n${built.stdout}\n${built.stderr}`);
  const child: ChildProcess = spawn(process.execPath, [nextBin, "start", dir, "-p", String(input.port), "-H", "127.0.0.1"], {
    // The same young generation as Tessera's app server (lib/config/semi-space.ts): the floor compares the code, not Node flags.
    env: { ...env, DATABASE_URL: input.databaseUrl, POOL_MAX: String(input.poolMax), NODE_OPTIONS: semiSpaceFlags(process.env).join(" ") },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${input.port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`bare Next exited:\n${output}`);
    try {
      if ((await fetch(`${url}/api/select1`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`bare Next did not answer:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    url,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await new Promise((resolve) => child.once("exit", resolve));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
