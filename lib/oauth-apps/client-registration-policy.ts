import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { getDb } from "@/lib/db/client";

/*
 * Who may use RFC 7591 dynamic client registration (issue 22), set by an admin on /admin/applications and kept
 * in the one-row InstanceSettings table (no row: the default).
 * - open: anyone may register a public client; a confidential one needs an admin's session;
 * - admins_only: an admin's session only;
 * - off: nobody (the endpoint refuses).
 */
export const CLIENT_REGISTRATION_POLICIES = ["open", "admins_only", "off"] as const;
export type ClientRegistrationPolicy = (typeof CLIENT_REGISTRATION_POLICIES)[number];
export const DEFAULT_CLIENT_REGISTRATION_POLICY: ClientRegistrationPolicy = "open";

const SETTINGS_ID = "instance";
const TO_DB = { open: "OPEN", admins_only: "ADMINS_ONLY", off: "OFF" } as const;
const FROM_DB = { OPEN: "open", ADMINS_ONLY: "admins_only", OFF: "off" } as const;

export async function getClientRegistrationPolicy(): Promise<ClientRegistrationPolicy> {
  const row = await getDb().instanceSettings.findUnique({ where: { id: SETTINGS_ID }, select: { clientRegistrationPolicy: true } });
  return row ? FROM_DB[row.clientRegistrationPolicy] : DEFAULT_CLIENT_REGISTRATION_POLICY;
}

/** Sets the policy and audits the change (nothing is written or audited when it is already `policy`). */
export async function setClientRegistrationPolicy(
  policy: ClientRegistrationPolicy,
  actor: AuditActor & { id: string },
  ip: string | null,
): Promise<{ changed: boolean }> {
  return getDb().$transaction(async (tx) => {
    const current = await tx.instanceSettings.findUnique({ where: { id: SETTINGS_ID }, select: { clientRegistrationPolicy: true } });
    const from = current ? FROM_DB[current.clientRegistrationPolicy] : DEFAULT_CLIENT_REGISTRATION_POLICY;
    if (from === policy) return { changed: false };
    await tx.instanceSettings.upsert({
      where: { id: SETTINGS_ID },
      create: { id: SETTINGS_ID, clientRegistrationPolicy: TO_DB[policy], updatedByUserId: actor.id },
      update: { clientRegistrationPolicy: TO_DB[policy], updatedByUserId: actor.id },
    });
    await recordAuditEvent({ action: "settings.client_registration_changed", actor, ip, detail: { from, to: policy } }, tx);
    return { changed: true };
  });
}
