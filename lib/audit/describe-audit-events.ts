import { describeAuditAction } from "@/lib/audit/describe-audit-action";
import { getDb } from "@/lib/db/client";
import { providerLabel } from "@/lib/providers/catalog";

/** The audit row fields the pages read (never `detail` wholesale: only the ids and names picked below). */
export type AuditRow = {
  id: string;
  action: string;
  actorType: string;
  actorId: string | null;
  subjectUserId: string | null;
  provider: string | null;
  tokenNames: string[];
  ip: string | null;
  detail: unknown;
  createdAt: Date;
};

/** Someone or something named in an event: a person (name and email), a service, an application, a webhook. */
export type AuditParty = { kind: "user" | "service" | "application" | "webhook" | "system"; label: string; secondary?: string; id?: string };

export type AuditEventView = {
  id: string;
  createdAt: Date;
  action: string;
  actionLabel: string;
  actor: AuditParty;
  subject: AuditParty | null;
  /** The service, application or webhook the event is about, when it is about one. */
  target: AuditParty | null;
  provider: string | null;
  tokenNames: string[];
  ip: string | null;
};

const text = (value: unknown) => (typeof value === "string" && value.length > 0 && value.length <= 200 ? value : null);

function detailOf(row: AuditRow): Record<string, unknown> {
  return row.detail && typeof row.detail === "object" && !Array.isArray(row.detail) ? (row.detail as Record<string, unknown>) : {};
}

/**
 * Audit rows in words (issue 25): ids become people's names and emails, service and application names, a webhook's
 * address. One primary-key lookup per table for the whole page; an object deleted since keeps the name the event
 * recorded, or "deleted service".
 */
export async function describeAuditEvents(rows: AuditRow[]): Promise<AuditEventView[]> {
  const userIds = new Set<string>();
  const serviceIds = new Set<string>();
  const applicationIds = new Set<string>();
  const webhookIds = new Set<string>();
  for (const row of rows) {
    const detail = detailOf(row);
    if (row.subjectUserId) userIds.add(row.subjectUserId);
    if (row.actorId && (row.actorType === "user" || row.actorType === "admin")) userIds.add(row.actorId);
    if (row.actorId && row.actorType === "service") serviceIds.add(row.actorId);
    if (row.actorId && row.actorType === "application") applicationIds.add(row.actorId);
    if (text(detail.serviceClientId)) serviceIds.add(text(detail.serviceClientId)!);
    if (text(detail.applicationId)) applicationIds.add(text(detail.applicationId)!);
    if (text(detail.webhookId)) webhookIds.add(text(detail.webhookId)!);
  }
  const db = getDb();
  const [users, services, applications, webhooks] = await Promise.all([
    userIds.size ? db.user.findMany({ where: { id: { in: [...userIds] } }, select: { id: true, name: true, email: true } }) : [],
    serviceIds.size ? db.serviceClient.findMany({ where: { id: { in: [...serviceIds] } }, select: { id: true, name: true } }) : [],
    applicationIds.size ? db.oAuthApplication.findMany({ where: { id: { in: [...applicationIds] } }, select: { id: true, name: true } }) : [],
    webhookIds.size ? db.webhookEndpoint.findMany({ where: { id: { in: [...webhookIds] } }, select: { id: true, url: true } }) : [],
  ]);
  const userById = new Map(users.map((u) => [u.id, u]));
  const serviceById = new Map(services.map((s) => [s.id, s.name]));
  const applicationById = new Map(applications.map((a) => [a.id, a.name]));
  const webhookById = new Map(webhooks.map((w) => [w.id, webhookLabel(w.url)]));

  const person = (id: string): AuditParty => {
    const user = userById.get(id);
    if (!user) return { kind: "user", label: "deleted account", id };
    return { kind: "user", label: user.name ?? user.email ?? "unnamed account", secondary: user.name && user.email ? user.email : undefined, id };
  };
  const service = (id: string, recorded: string | null): AuditParty => ({
    kind: "service",
    label: serviceById.get(id) ?? recorded ?? "deleted service",
    secondary: "service",
    id: serviceById.has(id) ? id : undefined,
  });
  const application = (id: string, recorded: string | null): AuditParty => ({
    kind: "application",
    label: applicationById.get(id) ?? recorded ?? "deleted application",
    secondary: "application",
    id: applicationById.has(id) ? id : undefined,
  });

  return rows.map((row) => {
    const detail = detailOf(row);
    const recordedService = text(detail.serviceName) ?? (row.action.startsWith("service.") ? text(detail.name) : null);
    const recordedApplication = text(detail.applicationName) ?? (row.action.startsWith("application.") ? text(detail.name) : null);
    let actor: AuditParty;
    if (row.actorId && (row.actorType === "user" || row.actorType === "admin")) {
      actor = person(row.actorId);
    } else if (row.actorId && row.actorType === "service") actor = service(row.actorId, recordedService);
    else if (row.actorId && row.actorType === "application") actor = application(row.actorId, recordedApplication);
    else actor = { kind: "system", label: "Tessera", secondary: "automatic" };

    let target: AuditParty | null = null;
    const serviceId = text(detail.serviceClientId);
    const applicationId = text(detail.applicationId);
    const webhookId = text(detail.webhookId);
    if (serviceId && !(row.actorType === "service" && row.actorId === serviceId)) target = service(serviceId, recordedService);
    else if (applicationId && !(row.actorType === "application" && row.actorId === applicationId)) target = application(applicationId, recordedApplication);
    else if (webhookId)
      target = {
        kind: "webhook",
        label: webhookById.get(webhookId) ?? "deleted webhook",
        secondary: "webhook",
        id: webhookById.has(webhookId) ? webhookId : undefined,
      };

    return {
      id: row.id,
      createdAt: row.createdAt,
      action: row.action,
      actionLabel: describeAuditAction(row.action),
      actor,
      subject: row.subjectUserId ? person(row.subjectUserId) : null,
      target,
      provider: row.provider ? providerLabel(row.provider) : null,
      tokenNames: row.tokenNames,
      ip: row.ip,
    };
  });
}

/** A webhook by its host and path (never its query string, which may carry a receiver's key). */
function webhookLabel(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname === "/" ? "" : parsed.pathname}`;
  } catch {
    return "webhook";
  }
}
