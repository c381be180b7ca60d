// npm run build — `next build`, then records the source fingerprint so `npm start` knows the build is current.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { BUILD_FINGERPRINT_FILE, computeBuildFingerprint } from "../lib/runtime/build-fingerprint";

const next = new URL("../node_modules/next/dist/bin/next", import.meta.url).pathname;
const result = spawnSync(process.execPath, [next, "build"], {
  stdio: "inherit",
  env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
});
if (result.status !== 0) process.exit(result.status ?? 1);
writeFileSync(BUILD_FINGERPRINT_FILE, computeBuildFingerprint());
