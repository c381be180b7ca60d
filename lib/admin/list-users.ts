import { z } from "zod";
import { getDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";

export const listUsersQuerySchema = z.object({
  // PostgreSQL refuses NUL in text (the query fails: a 500 page); a lone surrogate would match nothing anyway.
  q: z
    .string()
    .trim()
    .max(200)
    .refine((q) => !q.includes("\u0000") && q.isWellFormed(), "Invalid search")
    .optional()
    .default(""),
  sort: z.enum(["created", "last_sign_in"]).optional().default("created"),
  cursor: z
    .string()
    .regex(/^[\x21-\x7e]{0,200}$/, "Invalid cursor")
    .optional(),
});

export type ListUsersQuery = z.infer<typeof listUsersQuerySchema>;

export type AdminUserRow = {
  id: string;
  email: string | null;
  name: string | null;
  role: "USER" | "ADMIN";
  createdAt: Date;
  lastSignInAt: Date | null;
  providers: string[];
  apiAccess: string[];
  activePats: number;
};

export const USERS_PAGE_SIZE = 25;

/** Cursor = "<sort value ISO or ->|<id>": keyset pagination that stays fast on the last page too. */
function decodeCursor(cursor: string | undefined): { at: Date | null; id: string } | null {
  if (!cursor) return null;
  const [at, id] = cursor.split("|");
  if (!id) return null;
  const date = at && at !== "-" ? new Date(at) : null;
  // Outside years 1–9999 PostgreSQL refuses the timestamp ("out of range"): not a cursor we issued.
  if (date && (Number.isNaN(date.getTime()) || date.getUTCFullYear() < 1 || date.getUTCFullYear() > 9999)) return null;
  return { at: date, id };
}

/**
 * Users newest first (by creation or last sign-in), searchable by email or name, a page at a time;
 * per-row providers, API access and active PAT counts come from grouped queries over that page only.
 */
export async function listUsers(query: ListUsersQuery, now = new Date()): Promise<{ users: AdminUserRow[]; nextCursor: string | null }> {
  const db = getDb();
  const field = query.sort === "last_sign_in" ? "lastSignInAt" : "createdAt";
  const after = decodeCursor(query.cursor);
  const search: Prisma.UserWhereInput = query.q
    ? { OR: [{ email: { contains: query.q, mode: "insensitive" } }, { name: { contains: query.q, mode: "insensitive" } }] }
    : {};
  const select = { id: true, email: true, name: true, role: true, createdAt: true, lastSignInAt: true } as const;
  let users;
  if (field === "createdAt") {
    // Every user has a creation time: a cursor without one is not one we issued, and continues nowhere.
    if (after && !after.at) return { users: [], nextCursor: null };
    users = await db.user.findMany({
      where: { AND: [search, ...(after?.at ? [{ OR: [{ createdAt: { lt: after.at } }, { createdAt: after.at, id: { lt: after.id } }] }] : [])] },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: USERS_PAGE_SIZE + 1,
      select,
    });
  } else {
    /*
     * Most recently signed in first, then those who never signed in. Two range reads on the (lastSignInAt, id)
     * index instead of one ORDER BY ... NULLS LAST, which no index serves and which sorted a million rows (issue 26).
     * The cursor continues strictly after the last row: within the signed-in part, or within the never part.
     */
    const signedIn =
      after?.at === null
        ? []
        : await db.user.findMany({
            where: {
              AND: [
                search,
                { lastSignInAt: { not: null } },
                ...(after ? [{ OR: [{ lastSignInAt: { lt: after.at! } }, { lastSignInAt: after.at!, id: { lt: after.id } }] }] : []),
              ],
            },
            orderBy: [{ lastSignInAt: "desc" }, { id: "desc" }],
            take: USERS_PAGE_SIZE + 1,
            select,
          });
    const never =
      signedIn.length > USERS_PAGE_SIZE
        ? []
        : await db.user.findMany({
            where: { AND: [search, { lastSignInAt: null }, ...(after?.at === null ? [{ id: { lt: after.id } }] : [])] },
            orderBy: [{ lastSignInAt: "desc" }, { id: "desc" }],
            take: USERS_PAGE_SIZE + 1 - signedIn.length,
            select,
          });
    users = [...signedIn, ...never];
  }
  const rows = users.slice(0, USERS_PAGE_SIZE);
  const ids = rows.map((u) => u.id);
  const [accounts, tokens, pats] = await Promise.all([
    db.account.findMany({ where: { userId: { in: ids } }, select: { userId: true, provider: true } }),
    db.providerToken.groupBy({ by: ["userId", "provider"], where: { userId: { in: ids } } }),
    db.personalAccessToken.groupBy({ by: ["userId"], where: { userId: { in: ids }, revokedAt: null, expiresAt: { gt: now } }, _count: { _all: true } }),
  ]);
  const result = rows.map((user) => ({
    ...user,
    providers: [...new Set(accounts.filter((a) => a.userId === user.id).map((a) => a.provider))].sort(),
    apiAccess: tokens
      .filter((t) => t.userId === user.id)
      .map((t) => t.provider)
      .sort(),
    activePats: pats.find((p) => p.userId === user.id)?._count._all ?? 0,
  }));
  const last = rows[rows.length - 1];
  const nextCursor = users.length > USERS_PAGE_SIZE && last ? `${last[field]?.toISOString() ?? "-"}|${last.id}` : null;
  return { users: result, nextCursor };
}
