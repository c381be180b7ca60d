import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DYNAMIC_CSS_MANIFEST, SUBRESOURCE_INTEGRITY_MANIFEST } from "next/dist/shared/lib/constants";
import { isBuildCurrent } from "@/lib/runtime/build-fingerprint";

const built = isBuildCurrent();

/*
 * Issue 26: Next 15.5's route module (next/dist/server/route-modules/route-module.js, loadManifests) reads these two
 * optional manifests on every request with handleMissing, which caches only what it found: a missing one costs a
 * failed readFileSync and a thrown error per request. scripts/build.ts writes their empty forms, by the names Next
 * reads. Seen red (2026-12-04) with the dynamic CSS manifest written as `dynamic-css-manifest.json` (the name the
 * build itself emits, not the one route-module.js reads): "ENOENT … .next/dynamic-css-manifest", and a readFileSync
 * hook on `npm start` under load counted one such ENOENT per request.
 */
describe.skipIf(!built)(`the build${built ? "" : " [skipped: run `npm run build` first]"}`, () => {
  it("has every optional manifest Next reads per request, by the exact names it reads, meaning none", () => {
    const read = (name: string) => JSON.parse(readFileSync(path.join(".next", name), "utf8")) as unknown;
    expect(read(DYNAMIC_CSS_MANIFEST)).toEqual([]);
    expect(read(`server/${SUBRESOURCE_INTEGRITY_MANIFEST}.json`)).toEqual({});
  });
});
