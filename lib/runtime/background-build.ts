import { spawn } from "node:child_process";

export type BackgroundBuild = {
  /** Settles when the build exits: resolves on exit code 0, rejects otherwise (with the code or signal). */
  finished: Promise<void>;
  /** Stops the build and everything it started (`next build` and its workers); a no-op once it has exited. */
  cancel(): void;
};

/**
 * Runs the build in the background, so `npm start` can open the database, apply migrations and start the demo IdP
 * meanwhile (issue 26 §6: a fresh clone's first page). The build needs none of them: its fingerprint covers only the
 * sources, and CI builds with no database at all.
 *
 * The build runs in its own process group because it is a tree (tsx → scripts/build.ts → next build → workers):
 * a start that fails while it runs cancels the whole tree, instead of leaving a `next build` writing `.next` behind.
 * The same group means a terminal's Ctrl-C no longer reaches the build directly; start.ts's stop() cancels it.
 */
export function startBackgroundBuild(command: string, args: string[], env: NodeJS.ProcessEnv): BackgroundBuild {
  const child = spawn(command, args, { stdio: "inherit", env, detached: true });
  const finished = new Promise<void>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`the build exited with ${signal ?? `code ${code}`}`));
    });
  });
  // Awaited later, after the database is up: a build that fails first must not surface as an unhandled rejection
  // (start.ts stops on those) before the caller awaits it and reports it properly.
  finished.catch(() => {});
  return {
    finished,
    cancel() {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // The group is already gone.
      }
    },
  };
}
