import { z } from "zod";

/*
 * One provider of the catalogue, as written in lib/providers/catalog.json or in the operator's
 * TESSERA_PROVIDERS_FILE. Everything Tessera needs to run the OAuth client and to call the provider's API
 * is here, so adding a provider is adding an entry, not TypeScript.
 */

/** Loopback hosts, where plain http is allowed (an operator's provider running on the same machine, the tests' demo IdP). */
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

const httpsUrl = z.string().refine(
  (value) => {
    if (!URL.canParse(value)) return false;
    const url = new URL(value);
    const secure = url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname));
    return secure && !url.username && !url.password && !url.hash;
  },
  { message: "must be an https URL (http only on loopback; no credentials, no #fragment)" },
);

/** Separators providers use between scopes: a space (RFC 6749), or a comma (Slack, GitHub's legacy answers). */
export const SCOPE_SEPARATORS = [" ", ","] as const;

const revocationSchema = z.discriminatedUnion("kind", [
  // RFC 7009: POST token=… to the URL, authenticated like the token endpoint.
  z.strictObject({ kind: z.literal("rfc7009"), url: httpsUrl }),
  // GitHub's applications API: DELETE the whole grant; `{client_id}` in the URL is replaced.
  z.strictObject({ kind: z.literal("github"), url: httpsUrl }),
  // The access token itself authenticates the call that revokes it (Slack's auth.revoke, Dropbox's token/revoke).
  z.strictObject({ kind: z.literal("bearer"), url: httpsUrl }),
  // No per-token revocation: the reason is shown to the person who disconnects.
  z.strictObject({ kind: z.literal("unsupported"), reason: z.string().min(1) }),
]);

export const providerEntrySchema = z.strictObject({
  /** Lowercase, digits and dashes; also names the variables: TESSERA_PROVIDER_<ID>_ID / _SECRET. */
  id: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,38}[a-z0-9]$/, "must be 2-40 lowercase letters, digits or dashes, starting with a letter")
    .refine((id) => !id.includes("--"), "must not contain two dashes in a row"),
  displayName: z.string().min(1).max(60),
  /** The provider's own documentation this entry was written from. */
  docs: httpsUrl,
  /** "sign-in": Auth.js signs people in with it (only the three built-ins); "connect": API access only. */
  use: z.enum(["sign-in", "connect"]),
  authorizationUrl: httpsUrl,
  tokenUrl: httpsUrl,
  revocation: revocationSchema,
  /**
   * OpenID providers only: the `iss` their id tokens and authorization responses carry. With it the connect flow
   * sends a nonce (when `openid` is asked for) and checks the id token and RFC 9207 `iss`; without it, neither.
   */
  issuer: httpsUrl.optional(),
  /** Where the account id and name are read; absent when the token response carries them (see account). */
  userinfoUrl: httpsUrl.optional(),
  scopeSeparator: z.enum(SCOPE_SEPARATORS),
  defaultScopes: z.array(
    z
      .string()
      .min(1)
      .regex(/^[^\s,]+$/, "one scope per item, without spaces or commas"),
  ),
  /** PKCE with S256 (RFC 7636) on the authorization request. */
  pkce: z.boolean(),
  clientAuth: z.enum(["client_secret_basic", "client_secret_post"]),
  /** Sent on every authorization request, e.g. {"access_type": "offline", "prompt": "consent"}. */
  authorizationParams: z.record(z.string().regex(/^[a-z_]+$/), z.string()).default({}),
  refresh: z.strictObject({
    /** Whether a refresh grant returns a new refresh token that replaces the old one. */
    rotating: z.boolean(),
    /** Absolute refresh-token lifetime, or null when it does not expire on a clock. */
    refreshTokenLifetimeDays: z.number().int().positive().nullable(),
    /** Refresh tokens unused for this long stop working, or null. */
    inactivityExpiryDays: z.number().int().positive().nullable(),
  }),
  /** Dot paths into the userinfo answer (or the token response when userinfoUrl is absent). */
  account: z.strictObject({
    idPath: z.string().regex(/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/, "must be a dot path such as sub or user.id"),
    namePath: z.string().regex(/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/, "must be a dot path such as name or user.name"),
  }),
  /** The only origin and path prefix the provider API proxy may forward to (no trailing slash). */
  apiBaseUrl: httpsUrl.refine((url) => !url.endsWith("/"), "must not end with a slash"),
  notes: z.string().optional(),
});

export type ProviderEntry = z.infer<typeof providerEntrySchema>;
export type CatalogueRevocation = ProviderEntry["revocation"];

/** A catalogue file: the shipped one and the operator's have the same shape. */
export const catalogueFileSchema = z.strictObject({
  $comment: z.string().optional(),
  providers: z.array(z.unknown()),
});
