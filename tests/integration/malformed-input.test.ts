import fc from "fast-check";
import { NextRequest } from "next/server";
import { beforeAll, expect, it } from "vitest";
import * as adminProviderTokensRoute from "@/app/api/admin/users/[id]/provider-tokens/route";
import * as applicationIdRoute from "@/app/api/applications/[id]/route";
import * as applicationRotateRoute from "@/app/api/applications/[id]/rotate-secret/route";
import * as applicationsRoute from "@/app/api/applications/route";
import { POST as oauthRevokeRoute } from "@/app/api/oauth/revoke/route";
import { s256 } from "@/lib/oauth-apps/app-secrets";
import { issueAuthorizationCode } from "@/lib/oauth-apps/authorize-application";
import { authorizePath } from "@/lib/oauth-apps/authorize-path";
import { validateAuthorizationRequest } from "@/lib/oauth-apps/authorization-request";
import { createApplication, createApplicationSchema } from "@/lib/oauth-apps/create-application";
import { safeCallbackPath } from "@/lib/api/safe-callback-path";
import * as adminRevokeAllRoute from "@/app/api/admin/users/[id]/revoke-all/route";
import * as authJsRoute from "@/app/api/auth/[...nextauth]/route";
import * as adminWebhooksRoute from "@/app/api/admin/webhooks/route";
import * as adminWebhookIdRoute from "@/app/api/admin/webhooks/[id]/route";
import * as adminRedeliverRoute from "@/app/api/admin/webhooks/[id]/deliveries/[deliveryId]/redeliver/route";
import * as healthRoute from "@/app/api/health/route";
import * as openApiRoute from "@/app/api/openapi.json/route";
import { POST as oauthTokenRoute } from "@/app/api/oauth/token/route";
import * as proxyRoute from "@/app/api/proxy/[provider]/[...path]/route";
import { issueServiceToken } from "@/lib/service-clients/issue-service-token";
import { connectedUser } from "../helpers/connected-user";
import { createServiceClient } from "@/lib/service-clients/create-service-client";
import * as tokenIdRoute from "@/app/api/tokens/[id]/route";
import * as tokenRotateRoute from "@/app/api/tokens/[id]/rotate/route";
import * as reportLeakRoute from "@/app/api/credentials/report-leak/route";
import * as tokenRoute from "@/app/api/tokens/route";
import * as v1ConnectionsRoute from "@/app/api/v1/connections/route";
import * as v1MeRoute from "@/app/api/v1/me/route";
import * as v1TokensRoute from "@/app/api/v1/tokens/route";
import { auditQuerySchema, listAuditEvents } from "@/lib/admin/list-audit-events";
import { listUsers, listUsersQuerySchema } from "@/lib/admin/list-users";
import { isOwnTokenId } from "@/lib/pat/list-tokens";
import { MAX_JSON_BODY_BYTES } from "@/lib/api/read-json-body";
import { getDb } from "@/lib/db/client";
import { TEST_ORIGIN, createSessionCookie, createUser, sameOrigin } from "../helpers/fixtures";
import { startDemoIdpForFile } from "../helpers/demo-idp";
import { rowCounts } from "../helpers/row-counts";
import { describeOnEachDatabase } from "../helpers/test-database";

/**
 * Property-based fuzzing of every route handler (app/**\/route.ts; the Auth.js catch-all only lightly:
 * its own parser, its own error pages) with authenticated principals, so the input reaches the handler's own
 * parsing: wrong types, huge and unicode strings (lone surrogates, NUL), missing and extra fields,
 * invalid JSON, wrong content types, bodies over the limit (declared, understated, chunked with no
 * length) and hostile path ids. Every answer must be < 500; every 4xx must carry
 * {"error":{"code","message"}}; every rejected request must leave every table's row count unchanged.
 *
 * Deterministic: fixed seed (FUZZ_SEED overrides it); fast-check prints seed and path on failure.
 */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261124);
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);

// ---------- arbitraries -------------------------------------------------------------------------

const hostileStrings = [
  "",
  " ",
  "../",
  "../../etc/passwd",
  "..%2F..%2Fetc%2Fpasswd",
  "%00",
  "\u0000",
  "a\u0000b",
  "pat_\u0000",
  "\uD800",
  "a\uDFFFb",
  "\uFEFF",
  "é",
  "🙂",
  "current",
  "pat_",
  `pat_${"a".repeat(41)}`,
  "x".repeat(10 * 1024),
  "é".repeat(6 * 1024),
  "%E0%A4%A",
  "null",
  "undefined",
  "__proto__",
  "constructor",
  "' OR 1=1 --",
  "\r\nSet-Cookie: x=1",
  "<script>alert(1)</script>",
];

/** Strings the way an attacker writes them: hostile constants, any code point (incl. lone surrogates), long. */
const hostileString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...hostileStrings) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ minLength: 200, maxLength: 12_000 }) },
);

const weirdValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.constantFrom(null, true, false, 0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER, 2 ** 53 + 1, [], {}),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.array(hostileString, { maxLength: 30 }),
  fc.anything({ maxDepth: 2 }),
);

/** POST /api/tokens bodies: near-valid objects with fields wrong, missing or extra. */
const tokenBodyObject = fc.record(
  {
    name: fc.oneof(weirdValue, fc.constant("fuzz")),
    scopes: fc.oneof(
      weirdValue,
      fc.constant(["profile:read"]),
      fc.array(fc.constantFrom("profile:read", "tokens:read", "admin", "repo", ""), { maxLength: 25 }),
    ),
    expiresInDays: fc.oneof(weirdValue, fc.constantFrom(1, 0, 366, 1e9)),
    expiresAt: fc.oneof(weirdValue, fc.constantFrom("2001-01-01", "9999-12-31", "2026-13-45", "2026-02-30T25:61:61Z", "+275760-09-13T00:00:00.000Z")),
    selfDescribing: weirdValue,
    extra: weirdValue,
  },
  { requiredKeys: [] },
);

type Delivery = "string" | "chunked" | "understated-length" | "declared-length";
type Body = { text: string | Uint8Array; contentType: string | null; delivery: Delivery };

const rawText = fc.oneof(
  tokenBodyObject.map((value) => JSON.stringify(value)),
  fc.json({ maxDepth: 3 }),
  fc.constantFrom("", "{", "{not json", "[]", "null", '"str"', "1", '{"name":', "\u0000", "\uFEFF{}", '{"__proto__":{"admin":true}}'),
  fc.string({ unit: "binary", maxLength: 200 }),
  // Just over the limit, and far over it.
  fc.constantFrom(MAX_JSON_BODY_BYTES + 1, 4 * MAX_JSON_BODY_BYTES).map((size) => JSON.stringify({ name: "n".repeat(size) })),
);
const rawBytes = fc.uint8Array({ maxLength: 300 });

const body: fc.Arbitrary<Body> = fc.record({
  text: fc.oneof({ weight: 5, arbitrary: rawText }, { weight: 1, arbitrary: rawBytes }),
  contentType: fc.oneof(
    { weight: 5, arbitrary: fc.constant("application/json") },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        null,
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/json; charset=utf-16",
        "application/jsonp",
        "*/*",
      ),
    },
  ),
  delivery: fc.constantFrom<Delivery>("string", "chunked", "understated-length", "declared-length"),
});

/** Query strings: known keys with hostile values, repeated keys, malformed escapes. */
const queryString = fc.oneof(
  fc
    .dictionary(
      fc.oneof(fc.constantFrom("cursor", "limit", "cursor[]", "__proto__"), fc.string({ maxLength: 8 })),
      fc.oneof(hostileString, fc.integer().map(String), fc.constantFrom("1e400", "-0", "0x10", "NaN", "Infinity", "1.5", "101")),
      { maxKeys: 4 },
    )
    .map((params) =>
      Object.entries(params)
        .map(([key, value]) => `${encodeWellFormed(key)}=${encodeWellFormed(value)}`)
        .join("&"),
    ),
  fc.constantFrom("limit=1&limit=2", "cursor=%E0%A4%A", "limit=%00", "cursor=pat_a&cursor=pat_b", "&&&", "=", "limit"),
);

function encodeWellFormed(value: string): string {
  return encodeURIComponent(value.toWellFormed());
}

// ---------- requests ----------------------------------------------------------------------------

type Handler = (request: NextRequest, context: { params: Promise<never> }) => Promise<Response>;
type Principal = { label: string; headers: Record<string, string> };
type Fuzzed = { method: string; path: string; params?: Record<string, string>; headers: Record<string, string>; body?: Body };
type Outcome = { status: number; text: string };

function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.byteLength) return controller.close();
      controller.enqueue(bytes.subarray(offset, offset + 4096));
      offset += 4096;
    },
  });
}

async function send(handler: Handler, call: Fuzzed): Promise<Outcome> {
  const headers = new Headers({ "x-forwarded-for": "203.0.113.70", host: "localhost:3000", ...call.headers });
  let init: ConstructorParameters<typeof NextRequest>[1] = { method: call.method, headers };
  if (call.body) {
    const bytes = typeof call.body.text === "string" ? new TextEncoder().encode(call.body.text) : call.body.text;
    if (call.body.contentType) headers.set("content-type", call.body.contentType);
    if (call.body.delivery === "declared-length") headers.set("content-length", String(bytes.byteLength));
    if (call.body.delivery === "understated-length") headers.set("content-length", String(Math.min(bytes.byteLength, 2)));
    const payload = call.body.delivery === "string" ? bytes : streamOf(bytes);
    init = { ...init, body: payload, duplex: "half" } as typeof init;
  }
  const request = new NextRequest(new URL(call.path, TEST_ORIGIN), init);
  // An unhandled throw out of a handler would be a 500 in Next: let it fail the property.
  const response = await handler(request, { params: Promise.resolve(call.params ?? {}) as Promise<never> });
  return { status: response.status, text: await response.text() };
}

/** The invariant every request must keep. */
async function expectRejectedCleanly(label: string, call: Fuzzed, outcome: Outcome, before: Record<string, number>, mayWrite: boolean) {
  const where = `${label} ${call.method} ${call.path.slice(0, 120)} → ${outcome.status} ${outcome.text.slice(0, 200)}`;
  expect(outcome.status, where).toBeLessThan(500);
  if (outcome.status >= 400) {
    let parsed: unknown;
    expect(() => (parsed = JSON.parse(outcome.text)), where).not.toThrow();
    expect(parsed, where).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
  }
  if (outcome.status >= 400 || !mayWrite) expect(await rowCounts(), where).toEqual(before);
}

// ---------- the suite ---------------------------------------------------------------------------

// Providers configured as in the demo, so Auth.js's sign-in and callback paths are live (and the proxy's demo API).
const idp = startDemoIdpForFile();

describeOnEachDatabase("malformed input never gives a 5xx or a partial write", () => {
  let user: Principal[] = [];
  let admin: Principal[] = [];

  async function patFor(cookie: string, scopes: string[]): Promise<string> {
    const created = await send(tokenRoute.POST, {
      method: "POST",
      path: "/api/tokens",
      headers: sameOrigin(cookie),
      body: { text: JSON.stringify({ name: `fuzz-${scopes.length}`, scopes, expiresInDays: 7 }), contentType: "application/json", delivery: "string" },
    });
    expect(created.status, created.text).toBe(201);
    return JSON.parse(created.text).token as string;
  }

  beforeAll(async () => {
    const alice = await createUser({ email: "fuzz-user@example.com" });
    const root = await createUser({ email: "fuzz-admin@example.com", role: "ADMIN" });
    const aliceCookie = await createSessionCookie(alice.id);
    const rootCookie = await createSessionCookie(root.id);
    const alicePat = await patFor(aliceCookie, ["profile:read", "connections:read", "tokens:read", "tokens:write"]);
    const rootPat = await patFor(rootCookie, ["profile:read", "connections:read", "tokens:read", "tokens:write", "admin"]);
    user = [
      { label: "user session", headers: sameOrigin(aliceCookie) },
      { label: "user PAT", headers: { authorization: `Bearer ${alicePat}` } },
    ];
    admin = [
      { label: "admin session", headers: sameOrigin(rootCookie) },
      { label: "admin PAT", headers: { authorization: `Bearer ${rootPat}` } },
    ];
    // A bystander with stored provider tokens, so a stray delete would show in the counts.
    const bystander = await createUser({ email: "fuzz-bystander@example.com" });
    const connection = await getDb().providerConnection.create({ data: { userId: bystander.id, provider: "github", scopes: ["read:user"] } });
    await getDb().providerToken.create({
      data: {
        connectionId: connection.id,
        userId: bystander.id,
        provider: "github",
        name: "access_token",
        ciphertext: "not-a-real-ciphertext",
        keyId: "ktest1",
      },
    });
    await createSessionCookie(bystander.id);
  });

  const principal = (list: () => Principal[]) => fc.integer({ min: 0, max: 1 }).map((i) => list()[i]!);
  const base = { seed: FUZZ_SEED, numRuns: RUNS, endOnFailure: true };

  it("POST /api/tokens: bodies of every shape, type, size and encoding", async () => {
    await fc.assert(
      fc.asyncProperty(body, async (fuzzedBody) => {
        const [session] = user;
        const call = { method: "POST", path: "/api/tokens", headers: session!.headers, body: fuzzedBody };
        const before = await rowCounts();
        const outcome = await send(tokenRoute.POST, call);
        await expectRejectedCleanly(session!.label, call, outcome, before, true);
        const size = typeof fuzzedBody.text === "string" ? new TextEncoder().encode(fuzzedBody.text).byteLength : fuzzedBody.text.byteLength;
        const jsonType = fuzzedBody.contentType?.startsWith("application/json;") || fuzzedBody.contentType === "application/json";
        if (!jsonType) expect(outcome.status, "wrong content type").toBe(415);
        else if (size > MAX_JSON_BODY_BYTES) expect(outcome.status, `${size} bytes, ${fuzzedBody.delivery}`).toBe(413);
        if (outcome.status === 201) {
          // A valid body by chance: exactly one token and its audit event, nothing else.
          const after = await rowCounts();
          expect(after).toEqual({ ...before, PersonalAccessToken: before.PersonalAccessToken! + 1, AuditEvent: before.AuditEvent! + 1 });
        }
      }),
      {
        ...base,
        examples: [
          // Regressions: NUL and a lone surrogate in an otherwise valid body.
          [{ text: JSON.stringify({ name: "a\u0000b", scopes: ["profile:read"], expiresInDays: 7 }), contentType: "application/json", delivery: "string" }],
          [{ text: JSON.stringify({ name: "a\uD800", scopes: ["profile:read"], expiresInDays: 7 }), contentType: "application/json", delivery: "chunked" }],
          // Chunked, no Content-Length, 4× the limit: 413 (was read whole and parsed).
          [{ text: JSON.stringify({ name: "n".repeat(4 * MAX_JSON_BODY_BYTES) }), contentType: "application/json", delivery: "chunked" }],
        ],
        numRuns: RUNS * 3,
      },
    );
  });

  it("GET list routes: hostile query strings", async () => {
    const routes: Record<string, Handler> = {
      "/api/tokens": tokenRoute.GET,
      "/api/v1/tokens": v1TokensRoute.GET,
      "/api/v1/me": v1MeRoute.GET,
      "/api/v1/connections": v1ConnectionsRoute.GET,
      "/api/health": healthRoute.GET,
      "/api/openapi.json": openApiRoute.GET,
    };
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...Object.keys(routes)),
        principal(() => user),
        queryString,
        async (path, who, query) => {
          const handler = routes[path]!;
          const call = { method: "GET", path: `${path}?${query}`, headers: who.headers };
          const before = await rowCounts();
          await expectRejectedCleanly(who.label, call, await send(handler, call), before, false);
        },
      ),
      { ...base, numRuns: RUNS * 2 },
    );
  });

  it("GET /api/openapi.json: a hostile Host or X-Forwarded-Proto never reaches the server URL (it lands in curl commands)", async () => {
    const headerValue = hostileString.filter((value) => {
      try {
        new Headers({ host: value });
        return true;
      } catch {
        return false; // not a value an HTTP request can carry
      }
    });
    await fc.assert(
      fc.asyncProperty(headerValue, headerValue, async (host, proto) => {
        const response = await openApiRoute.GET(new NextRequest(new URL("/api/openapi.json", TEST_ORIGIN), { headers: { host, "x-forwarded-proto": proto } }));
        expect(response.status).toBe(200);
        const [server] = ((await response.json()) as { servers: { url: string }[] }).servers;
        expect(server!.url).toMatch(/^https?:\/\/[A-Za-z0-9.\-:[\]]+$/);
      }),
      { ...base, numRuns: RUNS },
    );
  });

  it("DELETE /api/tokens/[id]: hostile ids and junk bodies", async () => {
    await fc.assert(
      fc.asyncProperty(
        principal(() => user),
        hostileString,
        fc.option(body, { nil: undefined }),
        async (who, id, junk) => {
          // `current` with a PAT is a valid request (the token revokes itself); with a session it is a 400.
          fc.pre(!(id === "current" && who.label === "user PAT"));
          const call = { method: "DELETE", path: `/api/tokens/${encodeWellFormed(id)}`, params: { id }, headers: who.headers, body: junk };
          const before = await rowCounts();
          await expectRejectedCleanly(who.label, call, await send(tokenIdRoute.DELETE, call), before, false);
        },
      ),
      base,
    );
  });

  it("POST /api/tokens/[id]/rotate: hostile ids and bodies", async () => {
    const rotateBody = fc.record(
      {
        overlapSeconds: fc.oneof(weirdValue, fc.constantFrom(0, 86_400, 86_401, -1)),
        expiresInDays: fc.oneof(weirdValue, fc.constantFrom(1, 366)),
        extra: weirdValue,
      },
      { requiredKeys: [] },
    );
    const junk = fc.oneof(
      body,
      rotateBody.map((value): Body => ({ text: JSON.stringify(value), contentType: "application/json", delivery: "string" })),
    );
    await fc.assert(
      fc.asyncProperty(
        principal(() => user),
        hostileString,
        fc.option(junk, { nil: undefined }),
        async (who, id, fuzzedBody) => {
          // `current` with a PAT is a valid request (the token rotates itself, and stops at once).
          fc.pre(!(id === "current" && who.label === "user PAT"));
          const call = { method: "POST", path: `/api/tokens/${encodeWellFormed(id)}/rotate`, params: { id }, headers: who.headers, body: fuzzedBody };
          const before = await rowCounts();
          await expectRejectedCleanly(who.label, call, await send(tokenRotateRoute.POST, call), before, false);
        },
      ),
      base,
    );
  });

  it("POST /api/credentials/report-leak: bodies of every shape, anonymous or not", async () => {
    const leakBody = fc.record(
      {
        tokens: fc.oneof(weirdValue, fc.array(hostileString, { maxLength: 120 }), fc.array(fc.string({ maxLength: 600 }), { minLength: 1, maxLength: 101 })),
        extra: weirdValue,
      },
      { requiredKeys: [] },
    );
    const fuzzedBodies = fc.oneof(
      body,
      leakBody.map((value): Body => ({ text: JSON.stringify(value), contentType: "application/json", delivery: "string" })),
    );
    let address = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.option(
          principal(() => user),
          { nil: undefined },
        ),
        fuzzedBodies,
        async (who, fuzzedBody) => {
          // Its own address per call: the per-address limit is tested in leak-report.test.ts, not here.
          const headers = { ...(who?.headers ?? {}), "x-forwarded-for": `192.0.2.${(address++ % 250) + 1}` };
          const call = { method: "POST", path: "/api/credentials/report-leak", headers, body: fuzzedBody };
          const before = await rowCounts();
          const outcome = await send(reportLeakRoute.POST, call);
          // No fuzzed string is a live token: nothing may change, whatever the status.
          await expectRejectedCleanly(who?.label ?? "anonymous", call, outcome, before, false);
          if (outcome.status === 202) expect(Object.keys(JSON.parse(outcome.text))).toEqual(["received"]);
        },
      ),
      { ...base, numRuns: RUNS * 2 },
    );
  });

  it("admin routes: hostile user ids", async () => {
    const routes: Record<string, [string, Handler]> = {
      "provider-tokens": ["GET", adminProviderTokensRoute.GET],
      "revoke-all": ["POST", adminRevokeAllRoute.POST],
    };
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...Object.keys(routes)),
        principal(() => admin),
        hostileString,
        fc.option(body, { nil: undefined }),
        async (tail, who, id, junk) => {
          const [method, handler] = routes[tail]!;
          const call = {
            method,
            path: `/api/admin/users/${encodeWellFormed(id)}/${tail}`,
            params: { id },
            headers: who.headers,
            body: method === "GET" ? undefined : junk,
          };
          const before = await rowCounts();
          await expectRejectedCleanly(who.label, call, await send(handler, call), before, false);
        },
      ),
      // Regressions: a NUL in the user id reached PostgreSQL ("invalid byte sequence") → 500.
      {
        ...base,
        examples: [
          ["revoke-all", admin[0]!, "pat_\u0000", undefined],
          ["provider-tokens", admin[1]!, "a\u0000b", undefined],
        ],
        numRuns: RUNS * 2,
      },
    );
  });

  it("admin webhooks: bodies of every shape for POST, hostile ids and junk bodies for PATCH, DELETE and Redeliver", async () => {
    const webhookBody = fc.oneof(
      body,
      fc
        .record(
          {
            url: fc.oneof(
              hostileString,
              fc.constantFrom("http://127.0.0.1:1/x", "ftp://example.com/", "javascript:alert(1)", "http://user:pw@example.com/", "http://169.254.169.254/"),
            ),
            events: fc.oneof(fc.array(hostileString, { maxLength: 3 }), fc.constant(["pat.revoked"]), hostileString),
          },
          { requiredKeys: [] },
        )
        .map((value): Body => ({ text: JSON.stringify(value), contentType: "application/json", delivery: "string" })),
    );
    const call = fc.oneof(
      fc.tuple(fc.constant("POST"), fc.constant(""), webhookBody),
      fc.tuple(fc.constantFrom("PATCH", "DELETE", "REDELIVER"), hostileString, fc.option(body, { nil: undefined })),
    );
    await fc.assert(
      fc.asyncProperty(
        principal(() => admin),
        call,
        async (who, [kind, id, junk]) => {
          const handler =
            kind === "POST"
              ? adminWebhooksRoute.POST
              : kind === "PATCH"
                ? adminWebhookIdRoute.PATCH
                : kind === "DELETE"
                  ? adminWebhookIdRoute.DELETE
                  : adminRedeliverRoute.POST;
          const path =
            kind === "POST"
              ? "/api/admin/webhooks"
              : kind === "REDELIVER"
                ? `/api/admin/webhooks/${encodeWellFormed(id)}/deliveries/${encodeWellFormed(id)}/redeliver`
                : `/api/admin/webhooks/${encodeWellFormed(id)}`;
          const fuzzed = { method: kind === "REDELIVER" ? "POST" : kind, path, params: { id, deliveryId: id }, headers: who.headers, body: junk };
          const before = await rowCounts();
          const outcome = await send(handler, fuzzed);
          // A valid URL by chance (TESSERA_WEBHOOK_ALLOW_PRIVATE is unset here: loopback is refused) may create one endpoint.
          await expectRejectedCleanly(who.label, fuzzed, outcome, before, kind === "POST");
          if (outcome.status === 201)
            expect(JSON.parse(outcome.text)).toEqual({ id: expect.stringMatching(/^whk_/), secret: expect.stringMatching(/^tsr_whsec_/) });
        },
      ),
      // Loopback and cloud metadata are refused with 400, never stored. Regression: a NUL in the endpoint id
      // reached PostgreSQL → 500 (ids are now checked against their format first).
      {
        ...base,
        examples: [
          [admin[0]!, ["DELETE", "a\u0000b", undefined]],
          [
            admin[0]!,
            [
              "POST",
              "",
              { text: JSON.stringify({ url: "http://169.254.169.254/latest", events: ["pat.revoked"] }), contentType: "application/json", delivery: "string" },
            ],
          ],
        ],
        numRuns: RUNS * 2,
      },
    );
  });

  it("hostile credentials: session cookie values, Authorization and X-API-Key headers", async () => {
    const routes: Record<string, [string, Handler]> = {
      "/api/tokens": ["POST", tokenRoute.POST],
      "/api/v1/me": ["GET", v1MeRoute.GET],
      "/api/v1/tokens": ["GET", v1TokensRoute.GET],
      "/api/admin/users/x/revoke-all": ["POST", adminRevokeAllRoute.POST],
    };
    // Header values are ByteStrings without NUL/CR/LF; cookie values arrive percent-decoded, so encoding reaches any string.
    const headerValue = fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 600 });
    const credentials = fc.oneof(
      fc.oneof(hostileString, fc.constantFrom("%00", "%E0%A4%A", "%", "a%00b")).map((value) => ({
        cookie: `authjs.session-token=${/%/.test(value) ? value : encodeWellFormed(value)}`,
        origin: TEST_ORIGIN,
        "sec-fetch-site": "same-origin",
      })),
      headerValue.map((value) => ({ authorization: `Bearer ${value}` })),
      headerValue.map((value) => ({ authorization: value })),
      headerValue.map((value) => ({ "x-api-key": value })),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...Object.keys(routes)), credentials, async (path, headers) => {
        const [method, handler] = routes[path]!;
        // Its own address, so failed attempts do not rate-limit the other properties' PATs.
        const call = { method, path, params: { id: "x" }, headers: { ...headers, "x-forwarded-for": "198.51.100.77" } };
        const before = await rowCounts();
        const outcome = await send(handler, call);
        await expectRejectedCleanly("hostile credentials", call, outcome, before, false);
        expect(outcome.status).toBeGreaterThanOrEqual(400);
      }),
      // Regression: the cookie value "%00" is decoded to a NUL and reached PostgreSQL → 500 on every session route.
      { ...base, examples: [["/api/v1/me", { cookie: "authjs.session-token=%00", origin: TEST_ORIGIN, "sec-fetch-site": "same-origin" }]], numRuns: RUNS * 2 },
    );
  });

  it("Auth.js catch-all (light): hostile paths, query strings, cookies and form bodies", async () => {
    const actions = [
      "session",
      "providers",
      "csrf",
      "signin",
      "signin/google",
      "signin/nope",
      "callback/google",
      "callback/github",
      "signout",
      "error",
      "verify-request",
      "nope/../../x",
      "%00",
    ];
    const query = fc.oneof(
      queryString,
      fc
        .record({ key: fc.constantFrom("callbackUrl", "error", "code", "state", "iss"), value: hostileString })
        .map(({ key, value }) => `${key}=${encodeWellFormed(value)}`),
      fc.constantFrom("callbackUrl=%E0%A4%A", "error=%00", "code=x&state=%00", "callbackUrl=//evil.example"),
    );
    const cookie = fc.option(
      fc.constantFrom("authjs.session-token=%00", "authjs.csrf-token=%00", "authjs.callback-url=%E0%A4%A", "authjs.pkce.code_verifier=x"),
      { nil: undefined },
    );
    const form = fc.option(
      fc.oneof(fc.constantFrom("csrfToken=%00", "callbackUrl=%E0%A4%A", "", "=&="), fc.string({ unit: "binary", maxLength: 200 }).map(encodeWellFormed)),
      { nil: undefined },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...actions), query, cookie, form, async (action, search, cookieHeader, formBody) => {
        const method = formBody === undefined ? "GET" : "POST";
        const call: Fuzzed = {
          method,
          path: `/api/auth/${action}?${search}`,
          headers: { ...(cookieHeader ? { cookie: cookieHeader } : {}), origin: TEST_ORIGIN },
          body: formBody === undefined ? undefined : { text: formBody, contentType: "application/x-www-form-urlencoded", delivery: "string" },
        };
        const before = await rowCounts();
        const outcome = await send(method === "GET" ? authJsRoute.GET : authJsRoute.POST, call);
        // Auth.js answers with its own error pages and redirects: only "no 5xx, no write" applies.
        expect(outcome.status, `${method} ${call.path} → ${outcome.status} ${outcome.text.slice(0, 200)}`).toBeLessThan(500);
        expect(await rowCounts()).toEqual(before);
      }),
      {
        ...base,
        // Regressions: an invalid callback URL (cookie or parameter) made Auth.js answer 500 "server configuration".
        examples: [
          ["callback/github", "error=", "authjs.callback-url=%E0%A4%A", "=&="],
          ["session", "callbackUrl=javascript%3Aalert(1)", undefined, undefined],
          ["signin/google", "callbackUrl=%25", undefined, "csrfToken=x"],
        ],
      },
    );
  });

  it("admin audit page filters: whatever the query schema accepts, the query can run", async () => {
    const filters = fc.record({ person: hostileString, subject: hostileString, actor: hostileString, cursor: hostileString }, { requiredKeys: [] });
    await fc.assert(
      fc.asyncProperty(filters, async (raw) => {
        const parsed = auditQuerySchema.safeParse(raw);
        // app/admin/audit/page.tsx: parsed input goes straight to listAuditEvents; a throw there is a 500 page.
        if (parsed.success) await expect(listAuditEvents(parsed.data)).resolves.toMatchObject({ events: expect.any(Array) });
      }),
      // Regression: a NUL in the subject filter reached PostgreSQL → 500.
      { ...base, examples: [[{ subject: "a\u0000b" }], [{ cursor: "\u0000" }], [{ person: "a\u0000@b" }]] },
    );
  });

  it("admin users page and tokens page query values: whatever is accepted, the query can run", async () => {
    const dateish = fc.constantFrom("-", "2026-01-01T00:00:00.000Z", "-271821-04-20T00:00:00.000Z", "+275760-09-13T00:00:00.000Z", "0000-01-01", "nonsense");
    const cursor = fc.oneof(
      hostileString,
      fc.tuple(dateish, hostileString).map(([at, id]) => `${at}|${id}`),
    );
    const filters = fc.record({ q: hostileString, sort: fc.constantFrom("created", "last_sign_in", "x"), cursor }, { requiredKeys: [] });
    await fc.assert(
      fc.asyncProperty(filters, hostileString, async (raw, tokenCursor) => {
        // app/admin/users/page.tsx hands parsed input to listUsers; app/settings/tokens/page.tsx passes ?cursor= to isOwnTokenId.
        const parsed = listUsersQuerySchema.safeParse(raw);
        if (parsed.success) await expect(listUsers(parsed.data)).resolves.toMatchObject({ users: expect.any(Array) });
        await expect(isOwnTokenId("someone", tokenCursor)).resolves.toBe(false);
      }),
      // Regressions (500 pages): NUL in the search, a cursor date PostgreSQL cannot store, NUL in the tokens cursor.
      {
        ...base,
        examples: [
          [{ q: "a\u0000b" }, "pat_abc"],
          [{ cursor: "-271821-04-20T00:00:00.000Z|x" }, "pat_abc"],
          [{}, "pat_\u0000"],
        ],
      },
    );
  });

  it("POST /api/applications: bodies of every shape; DELETE and rotate-secret: hostile ids", async () => {
    const uri = fc.oneof(
      hostileString,
      fc.constantFrom(
        "https://app.example/cb",
        "http://127.0.0.1:1/cb",
        "http://evil.example/cb",
        "https://a.example/#x",
        "https://\u0000.example/",
        "http://[::1]/",
      ),
    );
    const appBody = fc.record(
      {
        name: fc.oneof(weirdValue, fc.constant("fuzz app")),
        description: weirdValue,
        homepageUrl: fc.oneof(weirdValue, fc.constantFrom("https://app.example", "javascript:alert(1)", "http://x")),
        redirectUris: fc.oneof(weirdValue, fc.array(uri, { maxLength: 12 })),
        confidential: fc.oneof(weirdValue, fc.boolean()),
        extra: weirdValue,
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(
        principal(() => user),
        appBody,
        fc.constantFrom<Delivery>("string", "chunked"),
        async (who, value, delivery) => {
          const call = {
            method: "POST",
            path: "/api/applications",
            headers: who.headers,
            body: { text: JSON.stringify(value), contentType: "application/json", delivery },
          };
          const before = await rowCounts();
          const outcome = await send(applicationsRoute.POST, call);
          // A PAT without applications:write is refused; a valid body by chance writes exactly one app and its event.
          await expectRejectedCleanly(who.label, call, outcome, before, true);
          if (outcome.status === 201)
            expect(await rowCounts()).toEqual({ ...before, OAuthApplication: before.OAuthApplication + 1, AuditEvent: before.AuditEvent + 1 });
        },
      ),
      {
        ...base,
        examples: [
          [user[0]!, { name: "a\u0000b", redirectUris: ["https://app.example/cb"], confidential: true }, "string"],
          [user[0]!, { name: "ok", redirectUris: ["https://app.example/\uD800"], confidential: false }, "chunked"],
        ],
      },
    );
    await fc.assert(
      fc.asyncProperty(
        principal(() => user),
        hostileString,
        fc.boolean(),
        async (who, id, rotate) => {
          const path = `/api/applications/${encodeWellFormed(id)}${rotate ? "/rotate-secret" : ""}`;
          const call = { method: rotate ? "POST" : "DELETE", path, params: { id }, headers: who.headers };
          const before = await rowCounts();
          await expectRejectedCleanly(who.label, call, await send(rotate ? applicationRotateRoute.POST : applicationIdRoute.DELETE, call), before, false);
        },
      ),
      base,
    );
  });

  it("application grants at the token endpoint and revocation: hostile codes, verifiers, redirect URIs, refresh tokens and client ids", async () => {
    const alice = await getDb().user.findUniqueOrThrow({ where: { email: "fuzz-user@example.com" } });
    const app = await createApplication(
      alice.id,
      createApplicationSchema.parse({ name: "fuzz client", redirectUris: ["https://app.example/cb"], confidential: false }),
      null,
    );
    if (!app.ok) throw new Error(app.message);
    const clientId = app.view.clientId;
    const field = fc.option(hostileString, { nil: undefined });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("authorization_code", "refresh_token", "client_credentials"),
        field,
        field,
        field,
        field,
        fc.option(fc.oneof(fc.constant(clientId), hostileString), { nil: undefined }),
        async (grant, code, verifier, redirect, refresh, client) => {
          const form = new URLSearchParams({ grant_type: grant });
          for (const [name, value] of [
            ["code", code],
            ["code_verifier", verifier],
            ["redirect_uri", redirect],
            ["refresh_token", refresh],
            ["client_id", client],
          ] as const)
            if (value !== undefined) form.set(name, value.toWellFormed());
          const call: Fuzzed = {
            method: "POST",
            path: "/api/oauth/token",
            headers: {},
            body: { text: form.toString(), contentType: "application/x-www-form-urlencoded", delivery: "string" },
          };
          const before = await rowCounts();
          const outcome = await send(oauthTokenRoute, call);
          const where = `app grant ${form.toString().slice(0, 200)} → ${outcome.status} ${outcome.text.slice(0, 200)}`;
          expect(outcome.status, where).toBeLessThan(500);
          expect(outcome.status, where).not.toBe(200);
          expect(JSON.parse(outcome.text), where).toEqual(expect.objectContaining({ error: expect.any(String) }));
          expect(await rowCounts(), where).toEqual(before);
          const revoked = await send(oauthRevokeRoute, {
            ...call,
            body: {
              text: new URLSearchParams({ token: (refresh ?? code ?? "").toWellFormed(), ...(client ? { client_id: client.toWellFormed() } : {}) }).toString(),
              contentType: "application/x-www-form-urlencoded",
              delivery: "string",
            },
          });
          expect(revoked.status, `revoke → ${revoked.status} ${revoked.text.slice(0, 200)}`).toBeLessThan(500);
        },
      ),
      {
        ...base,
        examples: [
          ["authorization_code", "a\u0000b", "\uD800", "https://app.example/cb", undefined, clientId],
          ["refresh_token", undefined, undefined, undefined, `tsr_ort_${"a".repeat(49)}`, clientId],
        ],
      },
    );
  });

  it("the authorization request (GET /oauth/authorize): whatever arrives, validation answers and the sign-in detour stays on Tessera", async () => {
    const alice = await getDb().user.findUniqueOrThrow({ where: { email: "fuzz-user@example.com" } });
    const app = await createApplication(
      alice.id,
      createApplicationSchema.parse({ name: "fuzz authorize", redirectUris: ["https://app.example/cb"], confidential: true }),
      null,
    );
    if (!app.ok) throw new Error(app.message);
    const value = (valid: string) => fc.option(fc.oneof(fc.constant(valid), hostileString), { nil: undefined });
    const params = fc.record({
      client_id: value(app.view.clientId),
      redirect_uri: value("https://app.example/cb"),
      response_type: value("code"),
      scope: value("profile:read"),
      state: value("s"),
      code_challenge: value(s256("v".repeat(43))),
      code_challenge_method: value("S256"),
    });
    await fc.assert(
      fc.asyncProperty(params, async (raw) => {
        const request = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)) as Record<string, string>;
        const validation = await validateAuthorizationRequest(request);
        // The page redirects only to a registered URI, and sends signed-out visitors to a same-origin sign-in.
        if (!validation.ok && validation.kind === "redirect") expect(validation.redirectUri).toBe("https://app.example/cb");
        if (validation.ok) {
          expect(validation.request.redirectUri).toBe("https://app.example/cb");
          const before = await rowCounts();
          await createSessionCookie(alice.id);
          expect(await issueAuthorizationCode(alice.id, validation.request, { consented: true, ip: null })).toMatch(/^[0-9A-Za-z]{43}$/);
          expect((await rowCounts()).OAuthAuthorizationCode).toBe(before.OAuthAuthorizationCode + 1);
        }
        expect(safeCallbackPath(authorizePath(request), "/fallback")).toMatch(/^\/(oauth\/authorize|fallback)/);
      }),
      {
        ...base,
        examples: [
          [
            {
              client_id: "tsr_app_\u0000",
              redirect_uri: "\uD800",
              response_type: undefined,
              scope: undefined,
              state: "a\u0000b",
              code_challenge: undefined,
              code_challenge_method: undefined,
            },
          ],
        ],
      },
    );
  });

  it("token exchange: hostile user ids, providers and purposes", async () => {
    // The service door: the RFC 8693 exchange at /api/oauth/token. Its errors have the RFC 6749 §5.2 shape,
    // and every exchange past client authentication is one audit event (so AuditEvent may grow by one).
    const service = await createServiceClient(
      { name: `fuzz-${Math.random()}`, permissions: ["credentials:*:read"] },
      { type: "admin", id: "test-admin" },
      null,
    );
    if (!service.ok) throw new Error(service.message);
    const authorization = `Basic ${Buffer.from(`${service.view.clientId}:${service.clientSecret}`).toString("base64")}`;
    const provider = fc.oneof(fc.constantFrom("google", "github", "microsoft-entra-id"), hostileString);
    await fc.assert(
      fc.asyncProperty(hostileString, provider, fc.option(hostileString, { nil: undefined }), async (id, providerId, purpose) => {
        const form = new URLSearchParams({
          grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
          subject_token: id,
          subject_token_type: "urn:tessera:params:oauth:token-type:user-id",
          audience: providerId,
          ...(purpose === undefined ? {} : { purpose }),
        }).toString();
        const call: Fuzzed = {
          method: "POST",
          path: "/api/oauth/token",
          headers: { authorization },
          body: { text: form, contentType: "application/x-www-form-urlencoded", delivery: "string" },
        };
        const before = await rowCounts();
        const outcome = await send(oauthTokenRoute, call);
        const where = `token exchange ${JSON.stringify(id).slice(0, 60)} ${JSON.stringify(providerId).slice(0, 60)} → ${outcome.status} ${outcome.text.slice(0, 200)}`;
        expect(outcome.status, where).toBeLessThan(500);
        expect(outcome.status, where).not.toBe(200);
        expect(JSON.parse(outcome.text), where).toEqual(expect.objectContaining({ error: expect.any(String) }));
        const after = await rowCounts();
        expect(after.AuditEvent - before.AuditEvent, where).toBeLessThanOrEqual(1);
        expect({ ...after, AuditEvent: 0 }, where).toEqual({ ...before, AuditEvent: 0 });
      }),
      // Regressions (500s): a NUL in the user id, in the audience (recorded in the audit event), in the purpose.
      {
        ...base,
        examples: [
          ["a\u0000b", "google", undefined],
          ["usr_x", "\u0000", undefined],
          ["usr_x", "google", "a\u0000b"],
        ],
      },
    );
  });
  it("provider API proxy: hostile paths, methods, people, purposes and bodies", async () => {
    // A service allowed everything at Google, acting for a connected person: calls that pass every check reach
    // the demo API. Tessera's own refusals carry Tessera-Proxy-Error and the error shape; the provider's answers
    // pass through as they are. Only the proxy's own counting may write (usage rows, the first-of-day audit event).
    const { user: person } = await connectedUser(idp(), "google");
    const service = await createServiceClient(
      {
        name: `fuzz-proxy-${Math.random()}`,
        permissions: ["proxy:google"],
        proxyAllow: ["* google:/echo", "* google:/items", "* google:/me"],
        rateLimitPerMinute: 100_000,
      },
      { type: "admin", id: "test-admin" },
      null,
    );
    if (!service.ok) throw new Error(service.message);
    const token = (await issueServiceToken(service.view.id, ["proxy:google"])).token;
    const headerSafe = fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 300 });
    const segment = fc.oneof(
      fc.constantFrom("echo", "items", "me", "..", ".", "", "%2e%2e", "%2F", "%00", "..;", "%E0%A4%A", "%", "a%zz", "~", "@", ";x=1"),
      hostileString.map(encodeWellFormed),
    );
    const path = fc
      .tuple(fc.constantFrom("google", "github", "nope", "%00", ""), fc.array(segment, { maxLength: 5 }))
      .map(([provider, parts]) => `/api/proxy/${provider}/${parts.join("/")}`);
    const person_ = fc.oneof(fc.constant(person.id), headerSafe, fc.constant(null));
    const callsBefore = idp().api.requests;
    await fc.assert(
      fc.asyncProperty(
        path,
        fc.option(queryString, { nil: undefined }),
        fc.constantFrom("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"),
        person_,
        fc.option(headerSafe, { nil: undefined }),
        fc.option(body, { nil: undefined }),
        async (target, query, method, onBehalfOf, purpose, fuzzedBody) => {
          const headers: Record<string, string> = { authorization: `Bearer ${token}` };
          if (onBehalfOf !== null) headers["tessera-on-behalf-of"] = onBehalfOf;
          if (purpose !== undefined) headers["tessera-purpose"] = purpose;
          const call: Fuzzed = {
            method,
            path: `${target}${query ? `?${query}` : ""}`,
            headers,
            body: method === "GET" || method === "HEAD" ? undefined : fuzzedBody,
          };
          const before = await rowCounts();
          const handler = proxyRoute[method as "GET"];
          const headersOut = new Headers({ "x-forwarded-for": "203.0.113.71", host: "localhost:3000", ...call.headers });
          let init: ConstructorParameters<typeof NextRequest>[1] = { method, headers: headersOut };
          if (call.body) {
            const bytes = typeof call.body.text === "string" ? new TextEncoder().encode(call.body.text) : call.body.text;
            if (call.body.contentType) headersOut.set("content-type", call.body.contentType);
            init = { ...init, body: call.body.delivery === "string" ? bytes : streamOf(bytes), duplex: "half" } as typeof init;
          }
          let request: NextRequest;
          try {
            request = new NextRequest(new URL(call.path, TEST_ORIGIN), init);
          } catch {
            return; // Not a request any client could send (the URL or a header is refused before Tessera).
          }
          const response = await handler(request, { params: Promise.resolve({}) as Promise<never> });
          const text = await response.text();
          const where = `proxy ${method} ${call.path.slice(0, 120)} → ${response.status} ${text.slice(0, 200)}`;
          expect(response.status, where).toBeLessThan(500);
          const fromTessera = response.headers.get("tessera-proxy-error") !== null || response.status === 401;
          if (fromTessera && method !== "HEAD") expect(JSON.parse(text), where).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
          const after = await rowCounts();
          expect(after.AuditEvent - before.AuditEvent, where).toBeLessThanOrEqual(1);
          expect({ ...after, AuditEvent: 0 }, where).toEqual({ ...before, AuditEvent: 0 });
        },
      ),
      {
        ...base,
        numRuns: RUNS * 3,
        examples: [["/api/proxy/google/echo", undefined, "POST", person.id, "a\u00ffb", { text: "{}", contentType: "application/json", delivery: "chunked" }]],
      },
    );
    // Not vacuous: some fuzzed calls passed every check and reached the provider.
    expect(idp().api.requests).toBeGreaterThan(callsBefore);
  });
});
