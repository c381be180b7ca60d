/*
 * Lets plain Node (scripts/*.ts under tsx, test workers) import lib/ modules that start with
 * `import "server-only"`. That package throws unless resolved with the `react-server` condition, which
 * only Next's bundler sets; Next still fails the build when a client component reaches such a module.
 * Loaded first with `--import ./scripts/server-only-hook.mjs` (package.json's scripts). It also adds itself
 * to NODE_OPTIONS so child Node processes inherit it: scripts/start.ts spawns scripts/serve.ts, and tests
 * spawn `node --import tsx scripts/start.ts` and tsx workers (vitest.config.ts sets NODE_OPTIONS for them).
 */
import { register } from "node:module";

register("./server-only-resolve.mjs", import.meta.url);

// A file URL never contains spaces, so it needs no quoting inside NODE_OPTIONS.
const flag = `--import=${import.meta.url}`;
const inherited = process.env.NODE_OPTIONS ?? "";
if (!inherited.split(/\s+/).includes(flag)) process.env.NODE_OPTIONS = `${inherited} ${flag}`.trim();
