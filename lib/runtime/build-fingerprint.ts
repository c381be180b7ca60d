import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

const SOURCE_ROOTS = [
  "app",
  "components",
  "lib",
  "auth.ts",
  "middleware.ts",
  "next.config.ts",
  "postcss.config.mjs",
  "tsconfig.json",
  "package.json",
  "prisma/schema.prisma",
];
const SKIP = /(^|\/)(node_modules|generated|\.next)(\/|$)|\.test\.tsx?$/;

/** A hash of everything `next build` compiles: a build is current when its recorded hash matches. */
export function computeBuildFingerprint(root = process.cwd()): string {
  const hash = createHash("sha256");
  const visit = (rel: string) => {
    const abs = path.join(root, rel);
    if (SKIP.test(rel) || !existsSync(abs)) return;
    if (statSync(abs).isDirectory()) {
      for (const name of readdirSync(abs).sort()) visit(path.join(rel, name));
    } else {
      hash.update(rel).update("\0").update(readFileSync(abs)).update("\0");
    }
  };
  SOURCE_ROOTS.forEach(visit);
  return hash.digest("hex");
}

export const BUILD_FINGERPRINT_FILE = path.join(".next", "tessera-build-fingerprint");

export function isBuildCurrent(root = process.cwd()): boolean {
  const file = path.join(root, BUILD_FINGERPRINT_FILE);
  if (!existsSync(path.join(root, ".next", "BUILD_ID")) || !existsSync(file)) return false;
  return readFileSync(file, "utf8").trim() === computeBuildFingerprint(root);
}
