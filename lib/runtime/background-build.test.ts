import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startBackgroundBuild } from "./background-build";

const node = process.execPath;
const scratch: string[] = [];
afterEach(() => scratch.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Running, not a zombie: a container's PID 1 may never reap an orphan that was killed. */
function alive(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return false;
  }
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return condition();
}

describe("startBackgroundBuild (npm start builds while the database starts)", () => {
  it("returns while the build still runs, and settles when it exits 0", async () => {
    const build = startBackgroundBuild(node, ["-e", "setTimeout(() => {}, 400)"], process.env);
    const early = await Promise.race([build.finished.then(() => "finished"), new Promise((resolve) => setTimeout(() => resolve("running"), 100))]);
    expect(early).toBe("running");
    await expect(build.finished).resolves.toBeUndefined();
  });

  it("reports a failed build with its exit code when awaited later, never as an unhandled rejection first", async () => {
    // Seen red: without the `.catch` in background-build.ts, vitest fails this file with an unhandled rejection
    // ("the build exited with code 3") during the wait, before the `await` below.
    const build = startBackgroundBuild(node, ["-e", "process.exit(3)"], process.env);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await expect(build.finished).rejects.toThrow("the build exited with code 3");
  });

  it("cancel stops the whole tree (a start that fails mid-build leaves no next build behind)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tessera-build-"));
    scratch.push(dir);
    const pidFile = path.join(dir, "grandchild.pid");
    // The build's shape: a process that starts another (tsx → next build) and waits for it.
    const script = [
      "const { spawn } = require('node:child_process');",
      "const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });",
      `require('node:fs').writeFileSync(${JSON.stringify(pidFile)}, String(child.pid));`,
      "setInterval(() => {}, 1000);",
    ].join("\n");
    const build = startBackgroundBuild(node, ["-e", script], process.env);
    expect(await until(() => readable(pidFile))).toBe(true);
    const grandchild = Number(readFileSync(pidFile, "utf8"));
    expect(alive(grandchild)).toBe(true);

    // Seen red with `child.kill("SIGTERM")` in place of the group kill: the build's own process stopped, the
    // grandchild (next build, in the real tree) kept running.
    build.cancel();
    await expect(build.finished).rejects.toThrow("SIGTERM");
    expect(await until(() => !alive(grandchild))).toBe(true);
    build.cancel(); // after exit: nothing to stop, nothing thrown
  });
});

function readable(file: string): boolean {
  try {
    return readFileSync(file, "utf8").length > 0;
  } catch {
    return false;
  }
}
