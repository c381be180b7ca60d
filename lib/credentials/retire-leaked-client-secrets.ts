import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { createNotification } from "@/lib/notifications/create-notification";
import { revokeServiceTokens } from "@/lib/service-clients/revoke-service-tokens";
import { reportDetail, type LeakContext, type LeakRevoker, type Tx } from "./leak-revoker";

/**
 * What a retired secret's hash becomes: not hex, so no HMAC a client presents can ever equal it. The
 * columns stay non-null, so the owner's usual "rotate secret" works unchanged and hands out a fresh one.
 */
export const RETIRED_SECRET_HASH = "retired:leaked";

type Match = { which: "current" | "previous"; data: { secretHash?: string; previousSecretHash: null; previousSecretExpiresAt: null } };

/**
 * A reported current secret is retired together with any previous one still in its overlap (both most
 * likely sat in the same configuration); a reported previous secret alone just ends its overlap early.
 */
function retirement(row: { secretHash: string | null; previousSecretHash: string | null }, hashes: Set<string>): Match {
  if (row.secretHash !== null && hashes.has(row.secretHash))
    return { which: "current", data: { secretHash: RETIRED_SECRET_HASH, previousSecretHash: null, previousSecretExpiresAt: null } };
  return { which: "previous", data: { previousSecretHash: null, previousSecretExpiresAt: null } };
}

const matchedHashes = (row: { secretHash: string | null; previousSecretHash: string | null }, hashes: Set<string>) =>
  [row.secretHash, row.previousSecretHash].filter((hash): hash is string => hash !== null && hashes.has(hash));

const secretWhere = (hashes: string[], now: Date) => ({
  OR: [{ secretHash: { in: hashes } }, { previousSecretHash: { in: hashes }, previousSecretExpiresAt: { gt: now } }],
});

/**
 * Service client secrets (`tsr_cs_…`): the secret stops working at once (the service cannot get new
 * tokens until an admin rotates it), and the service's live access tokens are revoked too: whoever
 * holds the secret may have minted some. Every admin is told (services are run by admins), and the
 * service's recorded owner even when no longer one.
 */
export const retireLeakedServiceSecrets: LeakRevoker = async (tx, hashes, context) => {
  const wanted = new Set(hashes);
  const clients = await tx.serviceClient.findMany({
    where: secretWhere(hashes, context.now),
    select: { id: true, name: true, ownerUserId: true, secretHash: true, previousSecretHash: true },
  });
  const matched: string[] = [];
  for (const client of clients) {
    const hit = matchedHashes(client, wanted);
    matched.push(...hit);
    const { which, data } = retirement(client, wanted);
    await tx.serviceClient.update({ where: { id: client.id }, data });
    // The row is updated first: issueServiceToken waits on that lock, so no token minted meanwhile survives.
    const revokedCount = await revokeServiceTokens(tx, client.id, context.now);
    await recordAuditEvent(
      {
        action: "service.secret_leaked",
        actor: { type: "system" },
        subjectUserId: client.ownerUserId,
        ip: context.ip,
        detail: { serviceClientId: client.id, serviceName: client.name, retired: which, revokedCount, ...reportDetail(context, hit[0]!) },
      },
      tx,
    );
    const admins = await tx.user.findMany({ where: { role: "ADMIN" }, select: { id: true } });
    const recipients = new Set([...admins.map((admin) => admin.id), ...(client.ownerUserId ? [client.ownerUserId] : [])]);
    await notifyAll(tx, recipients, context, {
      kind: "service.secret_leaked",
      title: `The secret of service "${client.name}" leaked`,
      body:
        which === "current"
          ? `The client secret of service "${client.name}" was reported as leaked. It no longer works and the service's access tokens are revoked: rotate the secret in Admin → Services and give the service the new one.`
          : `The previous client secret of service "${client.name}" (still in its rotation overlap) was reported as leaked. It no longer works; the current secret is unaffected. The service's access tokens are revoked.`,
      dedupeKey: `service-secret-leaked:${client.id}:${which}`,
    });
  }
  return matched;
};

/**
 * Application client secrets (`tsr_as_…`): the secret stops working at once, so the app cannot redeem
 * codes or refresh tokens until its owner rotates it. People's grants stay: the secret alone gives no
 * one's data, and a leaked token of theirs is reported (and revoked) on its own.
 */
export const retireLeakedAppSecrets: LeakRevoker = async (tx, hashes, context) => {
  const wanted = new Set(hashes);
  const apps = await tx.oAuthApplication.findMany({
    where: secretWhere(hashes, context.now),
    select: { id: true, clientId: true, name: true, ownerUserId: true, secretHash: true, previousSecretHash: true },
  });
  const matched: string[] = [];
  for (const app of apps) {
    const hit = matchedHashes(app, wanted);
    matched.push(...hit);
    const { which, data } = retirement(app, wanted);
    await tx.oAuthApplication.update({ where: { id: app.id }, data });
    await recordAuditEvent(
      {
        action: "application.secret_leaked",
        actor: { type: "system" },
        subjectUserId: app.ownerUserId,
        ip: context.ip,
        detail: { applicationId: app.id, clientId: app.clientId, applicationName: app.name, retired: which, ...reportDetail(context, hit[0]!) },
      },
      tx,
    );
    // A client nobody here registered (dynamic, metadata document) has no owner to tell.
    await notifyAll(tx, new Set(app.ownerUserId ? [app.ownerUserId] : []), context, {
      kind: "application.secret_leaked",
      title: `The client secret of "${app.name}" leaked`,
      body:
        which === "current"
          ? `The client secret of your application "${app.name}" was reported as leaked and no longer works: rotate it in Settings → Applications and give the application the new one.`
          : `The previous client secret of your application "${app.name}" (still in its rotation overlap) was reported as leaked and no longer works; the current secret is unaffected.`,
      dedupeKey: `application-secret-leaked:${app.id}:${which}`,
    });
  }
  return matched;
};

async function notifyAll(
  tx: Tx,
  userIds: Set<string>,
  context: LeakContext,
  notice: { kind: string; title: string; body: string; dedupeKey: string },
): Promise<void> {
  // The report's time in the key: the same secret can only leak once, but a later secret of the same client can.
  for (const userId of userIds) await createNotification({ userId, ...notice, dedupeKey: `${notice.dedupeKey}:${context.now.getTime()}:${userId}` }, tx);
}
