// npm run build — `next build`, then records the source fingerprint so `npm start` knows the build is current.
import { spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { BUILD_FINGERPRINT_FILE, computeBuildFingerprint } from "../lib/runtime/build-fingerprint";

const next = new URL("../node_modules/next/dist/bin/next", import.meta.url).pathname;
const result = spawnSync(process.execPath, [next, "build"], {
  stdio: "inherit",
  env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
});
if (result.status !== 0) process.exit(result.status ?? 1);

/*
 * Next 15.5 looks for two optional manifests on every request to a route (route-module.js: subresource integrity,
 * which we do not enable, and the pages router's dynamic CSS, which we do not use). A webpack build of an app-router
 * app writes neither where it looks, so each request paid a failed read and a thrown error (~1.5% of the server's CPU
 * in a profile, issue 26). Their empty forms mean exactly "none", and Next caches a manifest it found. The dynamic CSS
 * one is read as `dynamic-css-manifest`, without the `.json` the build writes: a readFileSync hook on the server under
 * load counted one ENOENT per request on that exact path until this wrote it (the `.json` name alone did nothing).
 */
const EMPTY_OPTIONAL_MANIFESTS: Record<string, string> = {
  ".next/server/subresource-integrity-manifest.json": "{}",
  ".next/dynamic-css-manifest": "[]",
};
for (const [file, empty] of Object.entries(EMPTY_OPTIONAL_MANIFESTS)) {
  if (!existsSync(file)) writeFileSync(file, empty);
}

writeFileSync(BUILD_FINGERPRINT_FILE, computeBuildFingerprint());
