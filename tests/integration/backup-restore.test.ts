import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, expect, it } from "vitest";
import { readAdminCounts } from "@/lib/admin/admin-counters";
import { readBackup, restoreBackup, RestoreRefusedError, writeBackup } from "@/lib/migrations/backup-database";
import { connectDatabase, getDb } from "@/lib/db/client";
import { startEmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { verifyBearerToken as verifyToken } from "@/lib/oauth-apps/verify-bearer-token";
import { getFreshAccessToken } from "@/lib/provider-tokens/get-fresh-access-token";
import { storeSignInTokens } from "@/lib/provider-tokens/store-sign-in-tokens";
import { createTokenAsUser, createUser } from "../helpers/fixtures";
import { describeOnEachDatabase, serverUrl } from "../helpers/test-database";

const dir = mkdtempSync(path.join(tmpdir(), "tessera-backup-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An empty database of the same kind, and how to drop it. */
async function emptyDatabase(kind: "embedded" | "postgres"): Promise<{ url: string; drop(): Promise<void> }> {
  if (kind === "embedded") {
    const embedded = await startEmbeddedPostgres();
    return { url: embedded.url, drop: () => embedded.stop() };
  }
  const name = `tessera_restore_${randomBytes(6).toString("hex")}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  };
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl!);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

describeOnEachDatabase("db:backup and db:restore", (database) => {
  it("round-trips users, encrypted provider tokens (still decryptable) and PATs (still valid) into an empty database", async () => {
    const user = await createUser({ email: `backup-${randomBytes(3).toString("hex")}@example.com` });
    await storeSignInTokens(user.id, "github", { accessToken: "backup-github-access-token" });
    const created = await createTokenAsUser({ id: user.id, role: "USER" }, { name: "backup", scopes: ["profile:read"], expiresInDays: 1 });
    if (!created.ok) throw new Error(created.message);

    const counted = await readAdminCounts();
    const file = path.join(dir, `${database().kind}.json`);
    await writeBackup(database().url, file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.stringify(await readBackup(database().url))).not.toContain("backup-github-access-token");

    const target = await emptyDatabase(database().kind);
    try {
      const { rows } = await restoreBackup(target.url, file);
      expect(rows).toBeGreaterThan(2);
      // From here on the process reads the restored database only.
      await connectDatabase(target.url, { poolMax: 2 });
      expect(await getDb().user.findUnique({ where: { id: user.id }, select: { email: true } })).toEqual({ email: user.email });
      expect((await getFreshAccessToken(user.id, "github")).accessToken).toBe("backup-github-access-token");
      expect(await verifyToken(created.token, { ip: "127.0.0.1" })).toMatchObject({ ok: true });
      // The admin counters are derived: the restore skips their rows and the triggers count the restored ones once
      // (checked red once: restoring the AdminCounter rows too doubled every count).
      expect(await readAdminCounts()).toEqual(counted);
      // Only into an empty database: a second restore over the restored one is refused.
      await expect(restoreBackup(target.url, file)).rejects.toBeInstanceOf(RestoreRefusedError);
    } finally {
      await connectDatabase(database().url, { poolMax: database().poolMax });
      await target.drop();
    }
  });
});
