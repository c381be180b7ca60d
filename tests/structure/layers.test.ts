import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";

/*
 * The floor plan of lib/: every folder has a rank, and a folder imports only folders of a LOWER rank, so
 * no import runs back up and no circle can form. When this test was written (issue 21) 19 imports ran
 * back up and 18 of lib/'s 30 folders were tied into one loop; the renovation removed every one, and
 * this test keeps it so. README's "Architecture" section draws the same plan. A new folder needs a rank.
 * (Breaking it once: `import { getDb } from "@/lib/db/client"` is fine in lib/audit, but
 * `import { proxyProviderRequest } from "@/lib/proxy/proxy-provider-request"` in lib/pat/revoke-token.ts
 * turned the second test red with "pat -> proxy".)
 */
const RANK: Record<string, number> = {
  // Foundations: no Tessera imports but each other's.
  log: 0,
  crypto: 0,
  providers: 0,
  ui: 0,
  security: 1,
  config: 1,
  db: 1,
  idp: 1,
  // HTTP pieces every door shares: the coded error, capped body reads, client address, documented answers.
  http: 1,
  // The job queue (pg-boss) on the database: anyone may enqueue, only lib/jobs runs workers.
  queue: 2,
  // Applying migrations (and pg-boss's schema), backup and restore (which replays them).
  migrations: 3,
  "rate-limit": 2,
  mail: 2,
  metrics: 3,
  connections: 2,
  // Records and the outbox.
  audit: 3,
  notifications: 3,
  webhooks: 4,
  // Credentials, low to high.
  "access-tokens": 5,
  "provider-tokens": 5,
  auth: 6,
  // Tessera's own OAuth client for connecting providers (issue 23): stores through provider-tokens.
  connect: 6,
  pat: 7,
  "oauth-apps": 8,
  "service-clients": 9,
  proxy: 10,
  oauth: 11,
  credentials: 11,
  // The doors: route and action wrappers, then what runs the process.
  api: 12,
  mcp: 12,
  actions: 13,
  admin: 13,
  seed: 13,
  runtime: 14,
  // Above the process: workers plug into its lifecycle; the API reference describes everything below.
  jobs: 15,
  "api-docs": 15,
};

const IMPORT = /(?:from|import)\s*\(?\s*["']([^"']+)["']/g;

/** Every import between two lib/ folders, as "from -> to", with the files that make it. */
function folderImports(): Map<string, string[]> {
  const lib = join(process.cwd(), "lib");
  const files = (readdirSync(lib, { recursive: true }) as string[]).filter(
    (file) => /\.tsx?$/.test(file) && !/\.test\.tsx?$/.test(file) && !file.startsWith("db/generated"),
  );
  const edges = new Map<string, string[]>();
  for (const file of files) {
    const from = file.split("/")[0]!.replace(/\.tsx?$/, "");
    for (const [, spec] of readFileSync(join(lib, file), "utf8").matchAll(IMPORT)) {
      let to: string | null = null;
      if (spec!.startsWith("@/lib/")) to = spec!.slice("@/lib/".length).split("/")[0]!;
      else if (spec!.startsWith(".")) {
        const resolved = join(file, "..", spec!);
        if (!resolved.startsWith("..")) to = resolved.split("/")[0]!;
      }
      if (!to) continue;
      to = to.replace(/\.tsx?$/, "");
      if (to === from) continue;
      const key = `${from} -> ${to}`;
      edges.set(key, [...(edges.get(key) ?? []), `lib/${file}`]);
    }
  }
  return edges;
}

const edges = folderImports();
const isBackArrow = (edge: string) => {
  const [from, to] = edge.split(" -> ") as [string, string];
  return RANK[to]! >= RANK[from]!;
};

it("every lib/ folder has a rank", () => {
  const folders = new Set([...edges.keys()].flatMap((edge) => edge.split(" -> ")));
  for (const entry of readdirSync(join(process.cwd(), "lib"), { withFileTypes: true })) if (entry.isDirectory()) folders.add(entry.name);
  expect([...folders].filter((folder) => RANK[folder] === undefined)).toEqual([]);
});

it("no lib/ import runs back up the layers", () => {
  const added = [...edges.keys()].filter((edge) => isBackArrow(edge)).map((edge) => `${edge} (${edges.get(edge)!.join(", ")})`);
  expect(added).toEqual([]);
});
