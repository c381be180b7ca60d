import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

/*
 * The app server's CPU time per request, next to req/s (issue 26). It says where a gap between two paths comes from:
 * when the ratio of their CPU per request matches the ratio of their req/s, the app server's own work is the limit;
 * when it does not, something else is (the database, the client, the other processes on these 2 cores). It drifts with
 * the machine's speed as req/s does, so it is read as a ratio of figures from the same alternating run.
 */
const ticksPerSecond = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;

/** CPU time (user + system) the process has used so far, in µs, from /proc/<pid>/stat. */
export function processCpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name (field 2) may hold spaces and parentheses: count fields after its closing ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime and stime are fields 14 and 15 of the whole line, 12 and 13 (0-based 11 and 12) after the name.
  return ((Number(fields[11]) + Number(fields[12])) / ticksPerSecond) * 1e6;
}
