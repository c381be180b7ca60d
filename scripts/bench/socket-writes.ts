import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

/*
 * `npm run bench -- --syscalls`: socket writes per request on the app server, counted by `strace -c` (write and writev;
 * under load the app server writes nothing else). Unlike req/s on a shared 2-core machine, the count is exact: each
 * database round trip and each answer is one write, so it shows what a change saves (issue 26). strace slows the
 * server down, so the req/s of that mode mean nothing.
 */

export function straceAvailable(): boolean {
  return spawnSync("strace", ["-V"], { stdio: "ignore" }).status === 0;
}

/** The app server's pid: `npm start` runs it as a child (scripts/serve.ts). */
export function appServerPid(startPid: number): number {
  const children = readFileSync(`/proc/${startPid}/task/${startPid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  const pid = children.find((child) => readFileSync(`/proc/${child}/cmdline`, "utf8").includes("scripts/serve.ts"));
  if (!pid) throw new Error("the app server process (scripts/serve.ts) was not found");
  return pid;
}

/** Runs `work` (which answers how many requests it made) under `strace -c -f -p pid`; socket writes per request. */
export async function socketWritesPerRequest(pid: number, work: () => Promise<number>): Promise<number> {
  const tracer = spawn("strace", ["-f", "-c", "-e", "trace=write,writev", "-p", String(pid)], { stdio: ["ignore", "ignore", "pipe"] });
  let report = "";
  tracer.stderr.on("data", (chunk) => (report += chunk));
  // strace prints "attached" for each thread before it counts anything.
  const deadline = Date.now() + 10_000;
  while (!report.includes("attached") && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  await new Promise((resolve) => setTimeout(resolve, 500));
  const requests = await work();
  const exited = new Promise((resolve) => tracer.once("exit", resolve));
  tracer.kill("SIGINT");
  await exited;
  const calls = (name: string) => Number(new RegExp(`^\\s*[\\d.]+\\s+[\\d.]+\\s+\\d+\\s+(\\d+)\\s+(?:\\d+\\s+)?${name}$`, "m").exec(report)?.[1] ?? 0);
  return (calls("write") + calls("writev")) / requests;
}
