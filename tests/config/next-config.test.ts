import { createRequire } from "node:module";
import { expect, it } from "vitest";
import nextConfig from "@/next.config";
import { MAX_JSON_BODY_BYTES } from "@/lib/api/read-json-body";

// Next 15.5 reads `experimental.serverActions.bodySizeLimit` with this parser (server/app-render/action-handler.js)
// and answers a larger action body with 413; unset, the limit is 1 MB.
const parseBytes = createRequire(import.meta.url)("next/dist/compiled/bytes").parse as (value: string) => number;

it("limits server action bodies to the same 64 KiB as JSON API bodies", () => {
  const limit = nextConfig.experimental?.serverActions?.bodySizeLimit;
  expect(limit).toBeDefined();
  expect(parseBytes(String(limit))).toBe(MAX_JSON_BODY_BYTES);
});
