import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { MIGRATIONS_DIR } from "@/lib/migrations/migrate";
import { isProxyPathAllowed, proxyAllowSchema } from "@/lib/service-clients/proxy-allow-list";
import { serverUrl } from "../helpers/test-database";

/*
 * The proxy_allow_methods migration rewrites stored method-less allow-list entries (`google:/me`, written
 * before entries named methods) into the explicit `GET google:/me`, so what is stored says what it allows.
 * Mutation check: removing the UPDATE from prisma/migrations/…_proxy_allow_methods/migration.sql makes
 * "rewrites …" fail (the rows keep `google:/me`); seen red.
 */

const TARGET = "_proxy_allow_methods";
const dirs = readdirSync(MIGRATIONS_DIR)
  .filter((name) => /^\d{14}_/.test(name))
  .sort();
const targetIndex = dirs.findIndex((name) => name.endsWith(TARGET));
const sqlOf = (dir: string) => readFileSync(path.join(MIGRATIONS_DIR, dir, "migration.sql"), "utf8");

async function rewritesEntries(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const dir of dirs.slice(0, targetIndex)) await client.query(sqlOf(dir));
    const insert = (id: string, allow: string[] | null) =>
      client.query(
        `INSERT INTO "ServiceClient" (id, "clientId", name, permissions, "secretHash", "secretHint", "proxyAllow", "updatedAt") VALUES ($1, $2, $3, '{proxy:*}', 'h', 'x', $4, now())`,
        [id, `tsr_svc_${id}`, id, allow],
      );
    await insert("old", ["google:/calendar/v3", "github:/items", "microsoft-entra-id:/"]);
    await insert("mixed", ["POST google:/echo", "google:/me"]);
    await insert("empty", []);
    await insert("null", null);
    await client.query(sqlOf(dirs[targetIndex]!));
    const stored = async () =>
      Object.fromEntries(
        (await client.query<{ id: string; proxyAllow: string[] | null }>(`SELECT id, "proxyAllow" FROM "ServiceClient"`)).rows.map((row) => [
          row.id,
          row.proxyAllow,
        ]),
      );
    const after = await stored();
    expect(after).toEqual({
      old: ["GET google:/calendar/v3", "GET github:/items", "GET microsoft-entra-id:/"],
      mixed: ["POST google:/echo", "GET google:/me"],
      empty: [],
      null: null,
    });
    // What is stored is exactly what the admin API would store for the same list today…
    for (const list of [after.old!, after.mixed!]) expect(proxyAllowSchema.parse(list)).toEqual(list);
    // …and it allows what the old entries meant: reading, nothing else.
    expect(isProxyPathAllowed(after.old!, "google", "/calendar/v3/users/me/calendarList", "GET")).toBe(true);
    expect(isProxyPathAllowed(after.old!, "google", "/calendar/v3/users/me/calendarList", "HEAD")).toBe(true);
    for (const method of ["POST", "PUT", "PATCH", "DELETE"]) expect(isProxyPathAllowed(after.old!, "github", "/items/7", method), method).toBe(false);
    // Running it again changes nothing (a restore of an already migrated dump, say).
    await client.query(sqlOf(dirs[targetIndex]!));
    expect(await stored()).toEqual(after);
  } finally {
    await client.end();
  }
}

describe("migration proxy_allow_methods makes stored allow-list entries name their methods", () => {
  it("exists", () => expect(targetIndex).toBeGreaterThan(0));

  it("rewrites method-less entries to GET on the embedded database", async () => {
    const embedded = await startEmbeddedPostgres();
    try {
      await rewritesEntries(embedded.url);
    } finally {
      await embedded.stop();
    }
  });

  it.skipIf(!serverUrl)(
    `rewrites method-less entries to GET on the PostgreSQL server${serverUrl ? "" : " [skipped: TEST_DATABASE_URL is not set]"}`,
    async () => {
      const name = `tessera_mig_${randomBytes(6).toString("hex")}`;
      const admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      await admin.query(`CREATE DATABASE "${name}"`);
      try {
        const url = new URL(serverUrl!);
        url.pathname = `/${name}`;
        await rewritesEntries(url.toString());
      } finally {
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await admin.end();
      }
    },
  );
});
