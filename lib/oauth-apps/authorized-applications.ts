import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";

export type AuthorizedApplicationView = {
  grantId: string;
  application: { id: string; clientId: string; name: string; homepageUrl: string | null; status: "active" | "disabled"; ownerName: string | null };
  scopes: string[];
  firstAuthorizedAt: string;
  lastUsedAt: string | null;
};

/** The apps `userId` authorized, most recently authorized first. */
export async function listAuthorizedApplications(userId: string): Promise<AuthorizedApplicationView[]> {
  const grants = await getDb().oAuthGrant.findMany({
    where: { userId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 200,
    include: {
      application: { select: { id: true, clientId: true, name: true, homepageUrl: true, status: true, owner: { select: { name: true, email: true } } } },
    },
  });
  return grants.map((grant) => ({
    grantId: grant.id,
    application: {
      id: grant.application.id,
      clientId: grant.application.clientId,
      name: grant.application.name,
      homepageUrl: grant.application.homepageUrl,
      status: grant.application.status === "ACTIVE" ? "active" : "disabled",
      ownerName: grant.application.owner ? (grant.application.owner.name ?? grant.application.owner.email) : null,
    },
    scopes: grant.scopes,
    firstAuthorizedAt: grant.createdAt.toISOString(),
    lastUsedAt: grant.lastUsedAt?.toISOString() ?? null,
  }));
}

/**
 * Revokes `userId`'s grant to an app: the grant, its codes and every token issued under it are deleted
 * (cascade), so they fail at their next use. False when the user has no such grant.
 */
export async function revokeApplicationGrant(userId: string, grantId: string, actor: AuditActor, ip: string | null): Promise<boolean> {
  return getDb().$transaction(async (tx) => {
    const grant = await tx.oAuthGrant.findFirst({
      where: { id: grantId, userId },
      include: { application: { select: { id: true, clientId: true, name: true } } },
    });
    if (!grant) return false;
    await tx.oAuthGrant.delete({ where: { id: grant.id } });
    await recordAuditEvent(
      {
        action: "application.grant_revoked",
        actor,
        subjectUserId: userId,
        ip,
        detail: { applicationId: grant.application.id, clientId: grant.application.clientId, name: grant.application.name, scopes: grant.scopes },
      },
      tx,
    );
    return true;
  });
}
