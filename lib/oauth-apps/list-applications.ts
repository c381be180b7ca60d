import { applicationIdSchema } from "./application-schemas";
import { getDb } from "@/lib/db/client";
import { toApplicationView, type ApplicationView } from "./application-view";
import { REGISTRATION_KIND } from "./authorization-request";

/** How many people currently authorize each app. */
async function countUsers(applicationIds: string[]): Promise<Map<string, number>> {
  if (applicationIds.length === 0) return new Map();
  const counts = await getDb().oAuthGrant.groupBy({ by: ["applicationId"], where: { applicationId: { in: applicationIds } }, _count: { _all: true } });
  return new Map(counts.map((row) => [row.applicationId, row._count._all]));
}

/** The apps `ownerId` registered, newest first (at most 50 per owner, so no pagination). */
export async function listOwnApplications(ownerId: string): Promise<ApplicationView[]> {
  const rows = await getDb().oAuthApplication.findMany({ where: { ownerUserId: ownerId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
  const users = await countUsers(rows.map((row) => row.id));
  return rows.map((row) => toApplicationView(row, users.get(row.id) ?? 0));
}

/** `owner` is null for a client nobody here registered by hand (`registration`: dynamic or metadata_document). */
export type AdminApplicationRow = ApplicationView & {
  owner: { id: string; email: string | null; name: string | null } | null;
  registration: "manual" | "dynamic" | "metadata_document";
};

export const ADMIN_APPLICATIONS_PAGE_SIZE = 50;

/** Every app (admin), newest first, a page at a time (`cursor` = the last id of the previous page). */
export async function listAllApplications(cursor: string | null = null): Promise<{ applications: AdminApplicationRow[]; nextCursor: string | null }> {
  const db = getDb();
  const validCursor =
    cursor && applicationIdSchema.safeParse(cursor).success && (await db.oAuthApplication.findUnique({ where: { id: cursor }, select: { id: true } }))
      ? cursor
      : null;
  const rows = await db.oAuthApplication.findMany({
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: ADMIN_APPLICATIONS_PAGE_SIZE + 1,
    include: { owner: { select: { id: true, email: true, name: true } } },
    ...(validCursor ? { cursor: { id: validCursor }, skip: 1 } : {}),
  });
  const page = rows.slice(0, ADMIN_APPLICATIONS_PAGE_SIZE);
  const users = await countUsers(page.map((row) => row.id));
  return {
    applications: page.map((row) => ({
      ...toApplicationView(row, users.get(row.id) ?? 0),
      owner: row.owner,
      registration: REGISTRATION_KIND[row.registration],
    })),
    nextCursor: rows.length > ADMIN_APPLICATIONS_PAGE_SIZE ? page[page.length - 1]!.id : null,
  };
}

/** One app as the admin's detail page shows it; null for an id that is no application. */
export async function getAdminApplication(id: string): Promise<AdminApplicationRow | null> {
  if (!applicationIdSchema.safeParse(id).success) return null;
  const row = await getDb().oAuthApplication.findUnique({ where: { id }, include: { owner: { select: { id: true, email: true, name: true } } } });
  if (!row) return null;
  const users = await countUsers([row.id]);
  return { ...toApplicationView(row, users.get(row.id) ?? 0), owner: row.owner, registration: REGISTRATION_KIND[row.registration] };
}
