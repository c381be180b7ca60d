import { z } from "zod";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { getTokenPepper } from "@/lib/access-tokens/pepper";
import { hashPresentedSecret } from "@/lib/access-tokens/hash";
import { getDb } from "@/lib/db/client";
import { notifyTokenIncident } from "@/lib/pat/notify-token-incident";
import { logger } from "@/lib/log/logger";
import { reportDetail, type LeakRevoker, type LeakSource } from "./leak-revoker";
import { revokeLeakedAppTokens } from "./revoke-leaked-app-tokens";
import { retireLeakedAppSecrets, retireLeakedServiceSecrets } from "./retire-leaked-client-secrets";

export const MAX_REPORTED_TOKENS = 100;
export const MAX_REPORTED_TOKEN_LENGTH = 512;

export const reportLeakSchema = z.object({ tokens: z.array(z.string().max(MAX_REPORTED_TOKEN_LENGTH)).min(1).max(MAX_REPORTED_TOKENS) }).strict();

/** PATs: revoked, and their owner is told (a notice; "Revoked: reported leaked" on /settings/tokens). */
const revokeLeakedPats: LeakRevoker = async (tx, hashes, context) => {
  const { ip, now } = context;
  const revoked = await tx.personalAccessToken.updateManyAndReturn({
    where: { tokenHash: { in: hashes }, revokedAt: null, expiresAt: { gt: now } },
    data: { revokedAt: now, revokedReason: "leaked" },
    select: { id: true, userId: true, name: true, tokenHash: true, familyId: true },
  });
  for (const pat of revoked) {
    const event = { actor: { type: "system" as const }, subjectUserId: pat.userId, patId: pat.id, tokenNames: [pat.name], ip };
    await recordAuditEvent({ ...event, action: "pat.leaked", detail: reportDetail(context, pat.tokenHash) }, tx);
    await recordAuditEvent({ ...event, action: "pat.revoked", detail: { reason: "leaked" } }, tx);
    await notifyTokenIncident({ userId: pat.userId, patId: pat.id, familyId: pat.familyId, name: pat.name, reason: "leaked" }, tx);
  }
  return revoked.map((pat) => pat.tokenHash);
};

/** Service access tokens (`tsr_sat_…`): revoked; the client's owner is the subject of the audit event. */
const revokeLeakedServiceTokens: LeakRevoker = async (tx, hashes, context) => {
  const { ip, now } = context;
  const revoked = await tx.serviceAccessToken.updateManyAndReturn({
    where: { tokenHash: { in: hashes }, revokedAt: null, expiresAt: { gt: now } },
    data: { revokedAt: now },
    select: { id: true, serviceClientId: true, tokenHash: true },
  });
  if (!revoked.length) return [];
  const clients = await tx.serviceClient.findMany({
    where: { id: { in: revoked.map((token) => token.serviceClientId) } },
    select: { id: true, name: true, ownerUserId: true },
  });
  for (const token of revoked) {
    const client = clients.find((candidate) => candidate.id === token.serviceClientId);
    await recordAuditEvent(
      {
        action: "service.token_leaked",
        actor: { type: "system" },
        subjectUserId: client?.ownerUserId ?? null,
        ip,
        detail: {
          serviceClientId: token.serviceClientId,
          serviceName: client?.name ?? null,
          serviceTokenId: token.id,
          ...reportDetail(context, token.tokenHash),
        },
      },
      tx,
    );
  }
  return revoked.map((token) => token.tokenHash);
};

/**
 * Every kind of Tessera credential a report can end (every `tsr_` prefix but the public client ids
 * `tsr_svc_`/`tsr_app_` and webhook signing secrets `tsr_whsec_`, which authenticate nothing to Tessera).
 * They all store HMAC-SHA-256(secret, PAT_HASH_PEPPER), so one hash per reported string serves them all.
 */
const LEAK_REVOKERS: LeakRevoker[] = [revokeLeakedPats, revokeLeakedServiceTokens, revokeLeakedAppTokens, retireLeakedServiceSecrets, retireLeakedAppSecrets];

/** The stored hash a reported string would match (the same for every kind): lib/access-tokens computes it. */
export const leakHash = (raw: string, pepper = getTokenPepper()) => hashPresentedSecret(raw, pepper);

export type LeakReportContext = {
  ip: string | null;
  now?: Date;
  via?: LeakSource;
  /** Where each string was found (GitHub's URL), keyed by the reported string. */
  foundAt?: Map<string, string>;
};

/**
 * GitHub-style credential revocation: anyone may report strings they found in public; each that is a
 * live Tessera credential is ended and its owner told (audit events, notices; the tokens page shows
 * PATs). Nothing comes back to the reporter: `matched` (the stored hashes that were live) is for
 * GitHub's verified feedback only. Every string is hashed and every kind's indexed queries run whatever
 * the strings look like (no short cut on format), so the work barely depends on what was sent.
 */
export async function reportLeakedTokens(tokens: string[], context: LeakReportContext): Promise<{ revoked: number; matched: Set<string> }> {
  const now = context.now ?? new Date();
  const pepper = getTokenPepper();
  const foundAtByHash = new Map<string, string>();
  for (const [raw, url] of context.foundAt ?? []) foundAtByHash.set(leakHash(raw, pepper), url);
  const hashes = [...new Set(tokens.map((raw) => leakHash(raw, pepper)))];
  const via = context.via ?? "report";
  const matched = await getDb().$transaction(async (tx) => {
    const found = new Set<string>();
    for (const revoke of LEAK_REVOKERS)
      for (const hash of await revoke(tx, hashes, { ip: context.ip, now, via, foundAt: (hash) => foundAtByHash.get(hash) })) found.add(hash);
    return found;
  });
  logger.info({ received: tokens.length, revoked: matched.size, via, ip: context.ip }, "leaked-token report");
  return { revoked: matched.size, matched };
}
