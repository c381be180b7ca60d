import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

export type StartedApp = { child: ChildProcess; output: () => string; exited: Promise<number | null>; url: string };

/** Runs `npm start`'s script as a user would, collecting its output. */
export function spawnStart(env: Record<string, string>, port: number, cwd?: string): StartedApp {
  let output = "";
  // As package.json's "start" runs it: node with tsx's loader (the tsx CLI would SIGKILL a busy process on SIGTERM).
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    cwd,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => output, exited, url: `http://127.0.0.1:${port}` };
}

/*
 * Test limits for `npm start` that hold on a busy machine (issue 21 §6): they catch a start that hangs, not a
 * slow one. START_TIMEOUT_MS: one start until /api/health answers (a cold embedded database plus Next, several
 * times slower at a load average of 10 on 2 cores). REFUSAL_TIMEOUT_MS: a start that refuses its configuration
 * exits before opening a database (node and tsx loading only: seconds). AFTER_START_MS: what a test does once the
 * app answers. A test's limit is the sum of what it runs, e.g. START_TIMEOUT_MS + AFTER_START_MS.
 */
export const START_TIMEOUT_MS = 150_000;
export const REFUSAL_TIMEOUT_MS = 60_000;
export const AFTER_START_MS = 90_000;

export async function waitForHealthy(app: StartedApp, timeoutMs = START_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (app.child.exitCode !== null) throw new Error(`start exited early:\n${app.output()}`);
    try {
      const response = await fetch(`${app.url}/api/health`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`not healthy in time:\n${app.output()}`);
}
