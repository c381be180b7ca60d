import { expect, it } from "vitest";
import { getPool } from "@/lib/db/client";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { describeOnEachDatabase } from "../helpers/test-database";

/*
 * Audit rows written outside a transaction (every token exchange's path, one plain INSERT each): many at once
 * each land with their own fields, a detail or none, token names, a UTC time, secrets redacted; one the
 * database refuses fails only its own caller. Crash safety: exchange-audit-crash.test.ts.
 */
describeOnEachDatabase("audit events written outside a transaction", () => {
  it("writes 40 concurrent events, each row with its own fields", async () => {
    const subject = `group-commit-${Math.random().toString(36).slice(2)}`;
    const before = Date.now();
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        recordAuditEvent({
          action: "service.token_exchanged",
          actor: { type: "service", id: `svc-${i}` },
          subjectUserId: subject,
          provider: i % 2 ? "google" : "github",
          tokenNames: i % 2 ? ["access_token"] : [],
          ip: i === 7 ? "203.0.113.7" : null,
          detail: i === 0 ? undefined : { n: i, purpose: `p-${i}`, client_secret: "must-not-be-stored" },
        }),
      ),
    );

    const { rows } = await getPool().query<{
      actorId: string;
      provider: string;
      tokenNames: string[];
      ip: string | null;
      detail: Record<string, unknown> | null;
      at: number;
    }>(
      `SELECT "actorId", provider, "tokenNames", ip, detail, (extract(epoch FROM "createdAt") * 1000)::float8 AS at
       FROM "AuditEvent" WHERE "subjectUserId" = $1 ORDER BY ("detail"->>'n')::int NULLS FIRST`,
      [subject],
    );
    expect(rows).toHaveLength(40);
    expect(rows[0]).toMatchObject({ actorId: "svc-0", provider: "github", tokenNames: [], ip: null, detail: null });
    expect(rows[7]).toMatchObject({ actorId: "svc-7", provider: "google", tokenNames: ["access_token"], ip: "203.0.113.7" });
    expect(rows[7]!.detail).toMatchObject({ n: 7, purpose: "p-7", client_secret: "[redacted]" });
    for (const row of rows) {
      // createdAt is UTC without a zone, as Prisma writes it: read back as the moment it was written.
      expect(row.at).toBeGreaterThanOrEqual(before - 1000);
      expect(row.at).toBeLessThanOrEqual(Date.now() + 1000);
    }
  });

  it("a refused event fails only its own caller", async () => {
    const subject = `group-commit-bad-${Math.random().toString(36).slice(2)}`;
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) =>
        recordAuditEvent({
          action: "service.token_exchanged",
          actor: { type: "service", id: `svc-${i}` },
          subjectUserId: subject,
          // A NUL in a text column: PostgreSQL refuses the whole statement holding it.
          provider: i === 2 ? "bad\u0000provider" : "google",
        }),
      ),
    );
    expect(results.map((result) => result.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled", "fulfilled"]);
    const { rows } = await getPool().query(`SELECT 1 FROM "AuditEvent" WHERE "subjectUserId" = $1`, [subject]);
    expect(rows).toHaveLength(4);
  });
});
