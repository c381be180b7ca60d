import { describe, expect, it } from "vitest";
import { diffMigrationsToSchema } from "@/lib/migrations/migrate";
import { describeOnEachDatabase, serverUrl } from "../helpers/test-database";

describe.skipIf(!serverUrl)(`committed migrations${serverUrl ? "" : " [skipped: TEST_DATABASE_URL is not set]"}`, () => {
  it("produce exactly the schema in schema.prisma (add a migration with `npm run db:migration -- <name>`)", async () => {
    const missing = await diffMigrationsToSchema(serverUrl!);
    expect(missing, `schema.prisma has changes no migration creates:\n${missing}`).toBe("");
  });
});

describeOnEachDatabase("migrated database", (current) => {
  it("has every model's table and records the migrations", async () => {
    const { db } = current();
    const tables = await db.$queryRaw<{ table_name: string }[]>`
      SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`;
    const names = tables.map((t) => t.table_name);
    expect(names).toEqual(expect.arrayContaining(["User", "Account", "Session", "VerificationToken", "_prisma_migrations"]));
    const applied = await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL`;
    expect(Number(applied[0]!.n)).toBeGreaterThan(0);
  });

  it("round-trips a user with the default role", async () => {
    const user = await current().db.user.create({ data: { email: `role-${Date.now()}@example.com` } });
    expect(user.role).toBe("USER");
  });
});
