import { mkdirSync } from "node:fs";
import path from "node:path";

/** `.data/` holds the embedded database and generated secrets; git-ignored, created owner-only. */
export function dataDir(...parts: string[]): string {
  const root = path.resolve(process.env.TESSERA_DATA_DIR ?? path.join(process.cwd(), ".data"));
  mkdirSync(root, { recursive: true, mode: 0o700 });
  return path.join(root, ...parts);
}
