import { z } from "zod";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { randomBase62 } from "@/lib/crypto";
import { getDb } from "@/lib/db/client";
import type { OAuthApplication } from "@/lib/db/generated/client";
import { cacheSeconds, clientMetadataPrivateAllowed, fetchClientMetadataDocument, type DocumentFetchOptions } from "./fetch-client-metadata-document";
import { checkRedirectUri } from "./redirect-uri";

/*
 * Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document, as MCP uses them): a client
 * whose client_id is an https URL publishes its metadata at that URL, and nobody registers it here. Tessera
 * fetches the document when the client first comes (and again once the copy expires), checks it, and keeps
 * it as an OAuthApplication row keyed by the URL (registration METADATA_DOCUMENT, no owner), so from then on
 * it is used like any public application. Such clients have no secret: they must use PKCE, as every client here does.
 */

export const MAX_CLIENT_ID_URL_LENGTH = 2000;

/** Whether `clientId` is meant as a metadata document URL (dispatch only: checkClientIdUrl judges it). */
export function isClientMetadataDocumentUrl(clientId: unknown): clientId is string {
  return typeof clientId === "string" && (clientId.startsWith("https://") || (clientMetadataPrivateAllowed() && clientId.startsWith("http://")));
}

/** The draft's §3 rules for the URL itself, or why it is not one. */
export function checkClientIdUrl(raw: string): { ok: true; url: URL } | { ok: false; reason: string } {
  if (raw.length > MAX_CLIENT_ID_URL_LENGTH) return { ok: false, reason: `it is longer than ${MAX_CLIENT_ID_URL_LENGTH} characters` };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: "it is not a valid URL" };
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && clientMetadataPrivateAllowed())) return { ok: false, reason: "it must use https" };
  if (url.username || url.password) return { ok: false, reason: "it cannot contain credentials" };
  if (raw.includes("#")) return { ok: false, reason: "it cannot contain a fragment" };
  if (url.pathname === "/") return { ok: false, reason: "it must have a path (such as /client.json)" };
  if (/(^|\/)\.\.?(\/|$)/.test(raw.slice(url.origin.length).split("?")[0]!)) return { ok: false, reason: "it cannot contain . or .. path segments" };
  // The client_id is compared exactly everywhere (the document's own client_id, the stored row): one spelling only.
  if (url.href !== raw) return { ok: false, reason: "it is not in canonical form (lower-case scheme and host, no default port, percent-encoded)" };
  return { ok: true, url };
}

const printable = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((value) => !/\p{Cc}/u.test(value) && value.isWellFormed());

/** What Tessera reads from a document; anything else in it is ignored (and not stored). */
const clientMetadataDocumentSchema = z.object({
  client_id: z.string(),
  redirect_uris: z.array(z.string()).min(1).max(10),
  client_name: printable(100).optional(),
  token_endpoint_auth_method: z.string().optional(),
  grant_types: z.array(z.string()).optional(),
  response_types: z.array(z.string()).optional(),
  client_secret: z.unknown().optional(),
});

export type ClientMetadata = { name: string; redirectUris: string[] };

/** The document's checks (draft §4.1): the same client_id, usable redirect URIs, a public client. */
export function checkClientMetadataDocument(
  body: unknown,
  clientId: string,
  host: string,
): { ok: true; metadata: ClientMetadata } | { ok: false; reason: string } {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return { ok: false, reason: "it is not a JSON object" };
  const parsed = clientMetadataDocumentSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, reason: `its ${String(issue.path[0] ?? "content")} is missing or malformed` };
  }
  const document = parsed.data;
  if (document.client_id !== clientId) return { ok: false, reason: "its client_id is not exactly the URL it was fetched from" };
  // A shared secret published at a public URL is no secret: such clients are public (the draft forbids client_secret_*).
  if (document.client_secret !== undefined) return { ok: false, reason: "it contains a client_secret" };
  if (document.token_endpoint_auth_method !== undefined && document.token_endpoint_auth_method !== "none") {
    return {
      ok: false,
      reason: `its token_endpoint_auth_method is "${document.token_endpoint_auth_method.slice(0, 40)}": Tessera accepts only "none" for such clients`,
    };
  }
  if (
    document.grant_types &&
    (!document.grant_types.includes("authorization_code") || document.grant_types.some((grant) => grant !== "authorization_code" && grant !== "refresh_token"))
  ) {
    return { ok: false, reason: "its grant_types must be authorization_code (and refresh_token)" };
  }
  if (document.response_types && (document.response_types.length !== 1 || document.response_types[0] !== "code"))
    return { ok: false, reason: 'its response_types must be ["code"]' };
  for (const uri of document.redirect_uris) {
    const problem = checkRedirectUri(uri, { confidential: false });
    if (problem) return { ok: false, reason: `its redirect URI ${JSON.stringify(uri.slice(0, 100))} ${problem}` };
  }
  return { ok: true, metadata: { name: document.client_name ?? host, redirectUris: [...new Set(document.redirect_uris)] } };
}

/*
 * Failures are remembered briefly, in this process: otherwise anyone could make Tessera fetch a broken URL once per
 * request. Bounded (oldest forgotten first), so a flood of distinct URLs costs memory no more than this.
 */
export const FAILURE_MEMORY_MS = 60_000;
const MAX_REMEMBERED_FAILURES = 1000;
const recentFailures = new Map<string, { reason: string; until: number }>();

function rememberFailure(clientId: string, reason: string, now: Date): { ok: false; reason: string } {
  recentFailures.delete(clientId);
  if (recentFailures.size >= MAX_REMEMBERED_FAILURES) recentFailures.delete(recentFailures.keys().next().value!);
  recentFailures.set(clientId, { reason, until: now.getTime() + FAILURE_MEMORY_MS });
  return { ok: false, reason };
}

/** Tests only: forget remembered failures. */
export function forgetMetadataDocumentFailures(): void {
  recentFailures.clear();
}

export type MetadataDocumentClient = { ok: true; app: OAuthApplication } | { ok: false; reason: string };

/**
 * The application for a metadata document client_id: the stored copy while it is fresh (or disabled: an
 * admin's decision outlives the document), else the document fetched, checked and stored again. Nothing is
 * stored when the fetch or a check fails. No database transaction is open while fetching.
 */
export async function resolveMetadataDocumentClient(
  clientId: string,
  options: DocumentFetchOptions & { now?: Date; ip?: string | null } = {},
): Promise<MetadataDocumentClient> {
  const now = options.now ?? new Date();
  const shape = checkClientIdUrl(clientId);
  if (!shape.ok) return { ok: false, reason: `The client_id URL cannot be used: ${shape.reason}.` };
  const db = getDb();
  const stored = await db.oAuthApplication.findUnique({ where: { clientId } });
  if (stored && stored.registration !== "METADATA_DOCUMENT") return { ok: false, reason: "This client_id is not a metadata document client." };
  if (stored && (stored.status !== "ACTIVE" || (stored.metadataExpiresAt && stored.metadataExpiresAt > now))) return { ok: true, app: stored };

  const remembered = recentFailures.get(clientId);
  if (remembered && remembered.until > now.getTime()) return { ok: false, reason: remembered.reason };
  const fetched = await fetchClientMetadataDocument(shape.url, options);
  if (!fetched.ok) return rememberFailure(clientId, `Tessera could not use the client's metadata document at ${shape.url.host}: ${fetched.reason}.`, now);
  const checked = checkClientMetadataDocument(fetched.body, clientId, shape.url.host);
  if (!checked.ok) return rememberFailure(clientId, `The client's metadata document at ${shape.url.host} cannot be used: ${checked.reason}.`, now);
  recentFailures.delete(clientId);

  const expiresAt = new Date(now.getTime() + cacheSeconds(fetched.cacheControl) * 1000);
  const fields = { name: checked.metadata.name, redirectUris: checked.metadata.redirectUris, metadataFetchedAt: now, metadataExpiresAt: expiresAt };
  if (stored) return { ok: true, app: await db.oAuthApplication.update({ where: { id: stored.id }, data: fields }) };
  try {
    const created = await db.oAuthApplication.create({
      data: {
        id: `app_${randomBase62(12)}`,
        clientId,
        ownerUserId: null,
        registration: "METADATA_DOCUMENT",
        confidential: false,
        homepageUrl: null,
        description: null,
        ...fields,
      },
    });
    await recordAuditEvent({
      action: "application.registered",
      actor: { type: "system" },
      ip: options.ip ?? null,
      detail: { applicationId: created.id, clientId, name: created.name, registration: "metadata_document", confidential: false },
    });
    return { ok: true, app: created };
  } catch (error) {
    // Two first requests at once: the other one stored it.
    const raced = await db.oAuthApplication.findUnique({ where: { clientId } });
    if (raced) return { ok: true, app: raced };
    throw error;
  }
}
