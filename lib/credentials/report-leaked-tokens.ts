import { z } from "zod";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { hashSecret } from "@/lib/crypto";
import { getDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { logger } from "@/lib/log/logger";
import { parsePresentedPat } from "@/lib/pat/format";
import { getPatPepper } from "@/lib/pat/pat-pepper";

export const MAX_REPORTED_TOKENS = 100;
export const MAX_REPORTED_TOKEN_LENGTH = 512;

export const reportLeakSchema = z
  .object({ tokens: z.array(z.string().max(MAX_REPORTED_TOKEN_LENGTH)).min(1).max(MAX_REPORTED_TOKENS) })
  .strict();

type Tx = Prisma.TransactionClient;
type LeakContext = { ip: string | null; now: Date };
/** Revokes the live tokens of one kind whose stored hash is among `hashes`; returns how many. */
type LeakRevoker = (tx: Tx, hashes: string[], context: LeakContext) => Promise<number>;

/** PATs: revoked, and their owner sees "Revoked: reported leaked" on /settings/tokens. */
const revokeLeakedPats: LeakRevoker = async (tx, hashes, { ip, now }) => {
  const revoked = await tx.personalAccessToken.updateManyAndReturn({
    where: { tokenHash: { in: hashes }, revokedAt: null, expiresAt: { gt: now } },
    data: { revokedAt: now, revokedReason: "leaked" },
    select: { id: true, userId: true, name: true },
  });
  for (const pat of revoked) {
    const event = { actor: { type: "system" as const }, subjectUserId: pat.userId, patId: pat.id, tokenNames: [pat.name], ip };
    await recordAuditEvent({ ...event, action: "pat.leaked", detail: { reportedBy: ip } }, tx);
    await recordAuditEvent({ ...event, action: "pat.revoked", detail: { reason: "leaked" } }, tx);
  }
  return revoked.length;
};

/** Service access tokens (`tsr_sat_…`): revoked; the client's owner is the subject of the audit event. */
const revokeLeakedServiceTokens: LeakRevoker = async (tx, hashes, { ip, now }) => {
  const revoked = await tx.serviceAccessToken.updateManyAndReturn({
    where: { tokenHash: { in: hashes }, revokedAt: null, expiresAt: { gt: now } },
    data: { revokedAt: now },
    select: { id: true, serviceClientId: true },
  });
  if (!revoked.length) return 0;
  const clients = await tx.serviceClient.findMany({ where: { id: { in: revoked.map((token) => token.serviceClientId) } }, select: { id: true, name: true, ownerUserId: true } });
  for (const token of revoked) {
    const client = clients.find((candidate) => candidate.id === token.serviceClientId);
    await recordAuditEvent(
      { action: "service.token_leaked", actor: { type: "system" }, subjectUserId: client?.ownerUserId ?? null, ip, detail: { serviceClientId: token.serviceClientId, serviceName: client?.name ?? null, serviceTokenId: token.id, reportedBy: ip } },
      tx,
    );
  }
  return revoked.length;
};

/**
 * Every kind of Tessera token a report can revoke. They all store HMAC-SHA-256(secret, PAT_HASH_PEPPER),
 * so one hash per reported string serves them all. OAuth app tokens (`tsr_oat_` / `tsr_ort_`) join here.
 */
const LEAK_REVOKERS: LeakRevoker[] = [revokeLeakedPats, revokeLeakedServiceTokens];

/** The secret a reported string would authenticate with: a self-describing PAT's secret part, else the trimmed string. */
function candidateSecret(raw: string): string {
  const pat = parsePresentedPat(raw);
  return pat.ok ? pat.secret : raw.trim();
}

/**
 * GitHub-style credential revocation: anyone may report strings they found in public; each that is a
 * live Tessera token is revoked and its owner told (audit events; the tokens page shows them). Nothing
 * comes back to the reporter. Every string is hashed and every kind's one indexed query runs whatever
 * the strings look like (no short cut on format), so the work barely depends on what was sent.
 */
export async function reportLeakedTokens(tokens: string[], context: { ip: string | null; now?: Date }): Promise<{ revoked: number }> {
  const now = context.now ?? new Date();
  const pepper = getPatPepper();
  const hashes = [...new Set(tokens.map((raw) => hashSecret(candidateSecret(raw), pepper)))];
  const revoked = await getDb().$transaction(async (tx) => {
    let count = 0;
    for (const revoke of LEAK_REVOKERS) count += await revoke(tx, hashes, { ip: context.ip, now });
    return count;
  });
  logger.info({ received: tokens.length, revoked, ip: context.ip }, "leaked-token report");
  return { revoked };
}
