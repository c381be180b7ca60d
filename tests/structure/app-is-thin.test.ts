import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { expect, it } from "vitest";

/*
 * app/ and components/ stay thin: pages, route handlers and server actions call lib/, which owns every
 * query. (Breaking it once: `import { getDb } from "@/lib/db/client"` back in app/admin/users/[id]/page.tsx
 * turns this red.)
 */
const DATABASE_IMPORT = /from\s+["']@\/lib\/db\/(?:client|generated|sql-pool)|from\s+["'](?:pg|@prisma\/client)["']/;

it("no page, route, action or component imports the database", () => {
  const offenders = ["app", "components"].flatMap((root) =>
    (readdirSync(join(process.cwd(), root), { recursive: true }) as string[])
      .filter((file) => /\.tsx?$/.test(file))
      .map((file) => join(process.cwd(), root, file))
      .filter((path) => DATABASE_IMPORT.test(readFileSync(path, "utf8")))
      .map((path) => relative(process.cwd(), path)),
  );
  expect(offenders).toEqual([]);
});
