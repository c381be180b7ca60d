import { createRequire } from "node:module";
import { afterEach, describe, expect, it, vi } from "vitest";
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

// Seen red with the condition dropped (excludes on every build): the standalone test failed, as a standalone server
// with no traced node_modules would.
describe("file tracing", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });
  const load = async (standalone: string | undefined) => {
    vi.stubEnv("TESSERA_STANDALONE", standalone);
    vi.resetModules();
    return (await import("@/next.config")).default;
  };

  it("skips the file traces that only a standalone server needs, on every other build (issue 26 §6)", async () => {
    const config = await load(undefined);
    expect(config.output).toBeUndefined();
    expect(configSchema.safeParse(config).success).toBe(true);
    // Next's tracer ignores what these globs match (picomatch, `contains`): every file, so it stops at its entries.
    expect(config.outputFileTracingExcludes).toEqual({ "*": ["**/*"] });
  });

  it("traces in full for the standalone server, which copies exactly the traced node_modules and migrations", async () => {
    const config = await load("1");
    expect(config.output).toBe("standalone");
    expect(configSchema.safeParse(config).success).toBe(true);
    expect(config.outputFileTracingExcludes).toBeUndefined();
    expect(config.outputFileTracingIncludes).toEqual({ "/api/health/ready": ["./prisma/migrations/**/*"] });
  });
});
