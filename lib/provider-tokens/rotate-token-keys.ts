import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";
import { openWebhookSecret, sealWebhookSecret } from "@/lib/webhooks/webhook-secret";
import { getTokenKeyring } from "@/lib/config/token-keyring";
import { openToken, sealToken } from "./token-cipher";

export type RotationReport = {
  scanned: number;
  reencrypted: number;
  alreadyCurrent: number;
  changedConcurrently: number;
  failed: number;
  activeKeyId: string;
  /** Webhook signing secrets are under the same keyring (signing needs the value back). */
  webhookSecretsReencrypted: number;
  webhookSecretsFailed: number;
};

/**
 * Re-encrypts every stored provider token (and webhook signing secret) under the active key, in batches, while the app runs.
 * Each row is replaced only if it still holds the ciphertext we read (a concurrent refresh wrote a
 * new value under the active key already). Afterwards older keys can be removed from the keyring.
 */
export async function rotateTokenKeys(batchSize = 500): Promise<RotationReport> {
  const db = getDb();
  const keyring = getTokenKeyring();
  const active = keyring.active.kid;
  const report: RotationReport = {
    scanned: 0,
    reencrypted: 0,
    alreadyCurrent: 0,
    changedConcurrently: 0,
    failed: 0,
    activeKeyId: active,
    webhookSecretsReencrypted: 0,
    webhookSecretsFailed: 0,
  };
  report.alreadyCurrent = await db.providerToken.count({ where: { keyId: active } });
  let cursor: string | undefined;
  for (;;) {
    const rows = await db.providerToken.findMany({
      where: { keyId: { not: active }, ...(cursor ? { id: { gt: cursor } } : {}) },
      orderBy: { id: "asc" },
      take: batchSize,
    });
    if (!rows.length) break;
    cursor = rows[rows.length - 1]!.id;
    for (const row of rows) {
      report.scanned++;
      try {
        const sealed = sealToken(row.userId, row.provider, row.name, openToken(row, keyring), keyring);
        const { count } = await db.providerToken.updateMany({ where: { id: row.id, ciphertext: row.ciphertext }, data: sealed });
        if (count) report.reencrypted++;
        else report.changedConcurrently++;
      } catch {
        report.failed++;
      }
    }
  }
  report.scanned += report.alreadyCurrent;
  // Few rows (one per endpoint): no batching needed.
  for (const endpoint of await db.webhookEndpoint.findMany({ where: { secretKeyId: { not: active } }, select: { id: true, secretCiphertext: true } })) {
    try {
      const sealed = sealWebhookSecret(endpoint.id, openWebhookSecret(endpoint));
      const { count } = await db.webhookEndpoint.updateMany({ where: { id: endpoint.id, secretCiphertext: endpoint.secretCiphertext }, data: sealed });
      report.webhookSecretsReencrypted += count;
    } catch {
      report.webhookSecretsFailed++;
    }
  }
  await recordAuditEvent({ action: "keys.rotated", actor: { type: "system" }, detail: { ...report } });
  return report;
}
