import { createRequire } from "node:module";
import { expect, it } from "vitest";
import nextConfig from "@/next.config";
import { MAX_JSON_BODY_BYTES } from "@/lib/api/read-json-body";

const require = createRequire(import.meta.url);
// Next 15.5 reads `experimental.serverActions.bodySizeLimit` with this parser (server/app-render/action-handler.js)
// and answers a larger action body with 413; unset, the limit is 1 MB.
const parseBytes = require("next/dist/compiled/bytes").parse as (value: string) => number;
// The schema `next build`/`next start` validate next.config with (strict: a misspelt option fails here).
const { configSchema } = require("next/dist/server/config-schema.js") as { configSchema: { safeParse(value: unknown): { success: boolean } } };

it("limits server action bodies to the same 64 KiB as JSON API bodies", () => {
  expect(configSchema.safeParse(nextConfig).success).toBe(true);
  const limit = nextConfig.experimental?.serverActions?.bodySizeLimit;
  expect(limit).toBeDefined();
  expect(parseBytes(String(limit))).toBe(MAX_JSON_BODY_BYTES);
});
