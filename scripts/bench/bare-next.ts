import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { semiSpaceFlags } from "../../lib/config/semi-space";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

/*
 * Issue 26's yardstick: a throwaway Next app of the same version, with one route handler that runs `select 1` on the
 * same database, built and started with `next build` / `next start` (no middleware, no wrapper). What Tessera's
 * /api/health and a PAT call are measured against: the framework's floor on this machine, in the same run.
 * Two more routes do the least a proxied call and a token exchange can do in Next, so the bench can say how much of
 * those paths' cost is the framework's: a catch-all route that runs `select 1` (whose token) and forwards the call
 * to the demo API with undici, streaming the answer back; a POST route that reads a form body, runs `select 1` and
 * answers a token-shaped JSON. No authentication, no encryption, no audit: a floor, not a peer.
 * It lives in .data/ so that it resolves next, react, pg and undici from this project's node_modules (the same versions).
 */
/** `pid`: the `next start` process, which serves in-process (the bench reads its CPU time). */
export type BareNext = { url: string; pid: number; stop: () => Promise<void> };

const POOL = `import pg from "pg";
export const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_MAX ?? 4) });
`;

const SELECT_1_ROUTE = `import { pool } from "../../../pool.js";
export const dynamic = "force-dynamic";
export async function GET() {
  await pool.query("select 1");
  return Response.json({ status: "ok" }, { headers: { "cache-control": "no-store" } });
}
`;

/** GET /api/proxy/{provider}/{path…} → UPSTREAM_URL/demo-api/{provider}/{path…}, the caller's Authorization passed on. */
const PROXY_ROUTE = `import { Agent, request } from "undici";
import { pool } from "../../../../../pool.js";
const agent = new Agent({ keepAliveTimeout: 30_000 });
export const dynamic = "force-dynamic";
export async function GET(req, { params }) {
  const { provider, path } = await params;
  await pool.query("select 1");
  const upstream = await request(\`\${process.env.UPSTREAM_URL}/demo-api/\${provider}/\${path.join("/")}\`, {
    headers: { authorization: req.headers.get("authorization") ?? "" },
    dispatcher: agent,
  });
  const iterator = upstream.body[Symbol.asyncIterator]();
  const body = new ReadableStream({
    async pull(controller) {
      const { value, done } = await iterator.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
  });
  return new Response(body, { status: upstream.statusCode, headers: { "content-type": String(upstream.headers["content-type"]) } });
}
`;

const TOKEN_ROUTE = `import { pool } from "../../../pool.js";
export const dynamic = "force-dynamic";
export async function POST(req) {
  const form = new URLSearchParams(await req.text());
  if (!form.get("grant_type")) return Response.json({ error: "invalid_request" }, { status: 400 });
  await pool.query("select 1");
  return Response.json(
    { access_token: "x".repeat(40), issued_token_type: "urn:ietf:params:oauth:token-type:access_token", token_type: "Bearer", expires_in: 3600 },
    { headers: { "cache-control": "no-store" } },
  );
}
`;

export async function startBareNext(input: {
  databaseUrl: string;
  port: number;
  poolMax: number;
  upstreamUrl: string;
  /** `npm run bench -- --cpu-prof DIR`: the bare server writes its V8 profile to DIR/bare-next, to set beside Tessera's. */
  cpuProfDir?: string;
}): Promise<BareNext> {
  const dir = path.resolve(".data/bench-bare-next");
  rmSync(dir, { recursive: true, force: true });
  const files: Record<string, string> = {
    "package.json": JSON.stringify({ name: "bare-next", private: true, type: "module" }),
    "next.config.mjs": `export default { poweredByHeader: false, serverExternalPackages: ["pg", "undici"] };\n`,
    "pool.js": POOL,
    "app/api/select1/route.js": SELECT_1_ROUTE,
    "app/api/proxy/[provider]/[...path]/route.js": PROXY_ROUTE,
    "app/api/token/route.js": TOKEN_ROUTE,
  };
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  const nextBin = path.resolve("node_modules/next/dist/bin/next");
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" };
  const built = spawnSync(process.execPath, [nextBin, "build", dir], { env, encoding: "utf8" });
  if (built.status !== 0) throw new Error(`bare Next build failed:\n${built.stdout}\n${built.stderr}`);
  // Node refuses --cpu-prof in NODE_OPTIONS: it goes on the command line.
  const profile = input.cpuProfDir ? ["--cpu-prof", `--cpu-prof-dir=${path.join(input.cpuProfDir, "bare-next")}`] : [];
  const child: ChildProcess = spawn(process.execPath, [...profile, nextBin, "start", dir, "-p", String(input.port), "-H", "127.0.0.1"], {
    // The same young generation as Tessera's app server (lib/config/semi-space.ts): the floor compares the code, not Node flags.
    env: {
      ...env,
      DATABASE_URL: input.databaseUrl,
      POOL_MAX: String(input.poolMax),
      UPSTREAM_URL: input.upstreamUrl,
      NODE_OPTIONS: semiSpaceFlags(process.env).join(" "),
    },
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
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await new Promise((resolve) => child.once("exit", resolve));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
