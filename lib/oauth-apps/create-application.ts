import { z } from "zod";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { randomBase62 } from "@/lib/crypto";
import { getDb } from "@/lib/db/client";
import type { Scope } from "@/lib/pat/scopes";
import { APP_SCOPES, FALLBACK_DEFAULT_SCOPES, isAppScope } from "./app-scopes";
import { appSecretHint, generateAppClientId, generateAppSecret, hashAppSecret } from "./app-secrets";
import { toApplicationView, type ApplicationView } from "./application-view";
import { checkRedirectUri } from "./redirect-uri";

const MAX_APPS_PER_OWNER = 50;

const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `at most ${max} characters`)
    // PostgreSQL refuses NUL, and a lone surrogate would be stored as U+FFFD.
    .refine((value) => !/\p{Cc}/u.test(value) && value.isWellFormed(), "cannot contain control characters or invalid Unicode");

// Checked as a public client's would be here: the object below refuses what only public clients may register.
const redirectUri = z.string().superRefine((value, context) => {
  const problem = checkRedirectUri(value);
  if (problem) context.addIssue({ code: "custom", message: `redirect URI ${problem}` });
});

export const createApplicationSchema = z
  .object({
    name: text(100).pipe(z.string().min(1, "Name is required")),
    description: text(500).optional(),
    homepageUrl: z
      .string()
      .max(2000)
      .refine((value) => /^https?:\/\/[\x21-\x7e]+$/i.test(value) && URL.canParse(value), "homepage URL must be an http(s) URL in printable ASCII")
      .optional(),
    redirectUris: z
      .array(redirectUri)
      .min(1, "Give at least one redirect URI")
      .max(10, "At most 10 redirect URIs")
      .transform((uris) => [...new Set(uris)]),
    confidential: z.boolean(),
    // RFC 6749 §3.3: what a request without `scope` is for; the same scopes an authorization request may name.
    defaultScopes: z
      .array(z.string().refine(isAppScope, { error: (issue) => `default scope ${JSON.stringify(issue.input)} is not one an application may be granted` }))
      .max(APP_SCOPES.length)
      .transform((scopes) => [...new Set(scopes)] as Scope[])
      .optional(),
  })
  .strict()
  // Whether a URI may be registered also depends on the kind of client: private-use schemes are for public ones.
  .superRefine((input, context) => {
    input.redirectUris.forEach((value, index) => {
      const problem = checkRedirectUri(value, { confidential: input.confidential });
      if (problem && !checkRedirectUri(value)) context.addIssue({ code: "custom", path: ["redirectUris", index], message: `redirect URI ${problem}` });
    });
  });

export type CreateApplicationInput = z.infer<typeof createApplicationSchema>;
export type CreateApplicationResult =
  { ok: true; clientSecret: string | null; view: ApplicationView } | { ok: false; code: "too_many_applications"; message: string };

/** Registers an app for `ownerId`; a confidential app's `clientSecret` is the only copy that will ever exist. */
export async function createApplication(ownerId: string, input: CreateApplicationInput, ip: string | null): Promise<CreateApplicationResult> {
  const clientSecret = input.confidential ? generateAppSecret() : null;
  const db = getDb();
  if ((await db.oAuthApplication.count({ where: { ownerUserId: ownerId } })) >= MAX_APPS_PER_OWNER) {
    return { ok: false, code: "too_many_applications", message: `You can register at most ${MAX_APPS_PER_OWNER} applications.` };
  }
  const row = await db.$transaction(async (tx) => {
    const created = await tx.oAuthApplication.create({
      data: {
        id: `app_${randomBase62(12)}`,
        clientId: generateAppClientId(),
        ownerUserId: ownerId,
        name: input.name,
        description: input.description || null,
        homepageUrl: input.homepageUrl || null,
        redirectUris: input.redirectUris,
        confidential: input.confidential,
        defaultScopes: input.defaultScopes?.length ? input.defaultScopes : [...FALLBACK_DEFAULT_SCOPES],
        secretHash: clientSecret ? hashAppSecret(clientSecret) : null,
        secretHint: clientSecret ? appSecretHint(clientSecret) : null,
      },
    });
    await recordAuditEvent(
      {
        action: "application.created",
        actor: { type: "user", id: ownerId },
        subjectUserId: ownerId,
        ip,
        detail: { applicationId: created.id, clientId: created.clientId, name: created.name, confidential: created.confidential },
      },
      tx,
    );
    return created;
  });
  return { ok: true, clientSecret, view: toApplicationView(row, 0) };
}
