import { getDb } from "@/lib/db/client";

export type NotificationView = { id: string; kind: string; title: string; body: string; patId: string | null; read: boolean; createdAt: string };

/** The person's newest notices (the header menu and /settings/tokens), and how many are unread. */
export async function listNotifications(
  userId: string,
  options: { take?: number; kindPrefix?: string } = {},
): Promise<{ items: NotificationView[]; unread: number }> {
  const where = { userId, ...(options.kindPrefix ? { kind: { startsWith: options.kindPrefix } } : {}) };
  const [rows, unread] = await Promise.all([
    getDb().notification.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: options.take ?? 20 }),
    getDb().notification.count({ where: { userId, readAt: null } }),
  ]);
  return {
    items: rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      title: row.title,
      body: row.body,
      patId: row.patId,
      read: row.readAt !== null,
      createdAt: row.createdAt.toISOString(),
    })),
    unread,
  };
}

/** Marks the person's notices read: one (by id) or all. Someone else's ids change nothing. */
export async function markNotificationsRead(userId: string, id?: string): Promise<number> {
  const { count } = await getDb().notification.updateMany({ where: { userId, readAt: null, ...(id ? { id } : {}) }, data: { readAt: new Date() } });
  return count;
}
