import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterEach, beforeAll, expect, it, vi } from "vitest";
import { hashCredentialSecret } from "@/lib/access-tokens/hash";
import { generatePatSecret } from "@/lib/access-tokens/pat-format";
import {
  generateAppAccessToken,
  generateAppClientId,
  generateAppRefreshToken,
  generateServiceClientId,
  generateServiceToken,
} from "@/lib/access-tokens/prefixes";
import { verifyCredential, type CredentialResult } from "@/lib/access-tokens/verify-credential";
import { getDb } from "@/lib/db/client";
import { introspectToken } from "@/lib/oauth/introspect-token";
import { createUser } from "../helpers/fixtures";
import { describeOnEachDatabase } from "../helpers/test-database";

/*
 * Issue 21 §1: one verifier for every Tessera credential, and introspection says what it says.
 * Rows are written directly (each state exactly), then verifyCredential and introspectToken are asked.
 *
 * Mutation checks (each made once, saw red, restored):
 * - lib/access-tokens/verify-credential.ts: `if (row.applicationStatus !== "ACTIVE") return refuse("disabled");` removed from
 *   the app_access case → "each kind and state" fails (a disabled app's access token ok:true).
 * - lib/access-tokens/verify-credential.ts: `if (row.usedAt) return refuse("used");` removed → "each kind and state" fails.
 */

const id = () => randomBytes(8).toString("hex");
const HOUR = 3600_000;
const flipLast = (value: string) => value.slice(0, -1) + (value.endsWith("A") ? "B" : "A");

type Case = { name: string; value: string; expected: { ok: true; kind: string } | { ok: false; reason: string } };

afterEach(() => vi.restoreAllMocks());

describeOnEachDatabase("verifyCredential: one verifier for every Tessera credential", () => {
  const cases: Case[] = [];
  let user: { id: string; email: string | null };
  let rotatedOut: { value: string; id: string; familyId: string; successor: string };

  beforeAll(async () => {
    const db = getDb();
    user = await createUser();
    const future = new Date(Date.now() + 24 * HOUR);
    const past = new Date(Date.now() - HOUR);

    const pat = async (name: string, data: { expiresAt?: Date; revokedAt?: Date; replacedById?: string; familyId?: string } = {}) => {
      const value = generatePatSecret();
      const row = await db.personalAccessToken.create({
        data: { id: id(), userId: user.id, name, scopes: ["profile:read"], tokenHash: hashCredentialSecret(value), tokenHint: "x", expiresAt: future, ...data },
      });
      return { value, id: row.id };
    };
    cases.push({ name: "live PAT", value: (await pat("live")).value, expected: { ok: true, kind: "pat" } });
    cases.push({ name: "revoked PAT", value: (await pat("revoked", { revokedAt: past })).value, expected: { ok: false, reason: "revoked" } });
    cases.push({ name: "expired PAT", value: (await pat("expired", { expiresAt: past })).value, expected: { ok: false, reason: "expired" } });
    const successor = await pat("successor");
    const familyId = id();
    const old = await pat("rotated out", { revokedAt: past, familyId, replacedById: successor.id });
    rotatedOut = { value: old.value, id: old.id, familyId, successor: successor.value };
    cases.push({ name: "unknown PAT", value: generatePatSecret(), expected: { ok: false, reason: "not_found" } });
    cases.push({ name: "PAT with a checksum typo", value: flipLast(generatePatSecret()), expected: { ok: false, reason: "bad_checksum" } });

    const app = async (status: "ACTIVE" | "DISABLED") => {
      const application = await db.oAuthApplication.create({
        data: {
          id: id(),
          clientId: generateAppClientId(),
          ownerUserId: user.id,
          name: `app-${id()}`,
          redirectUris: ["https://app.example/cb"],
          confidential: false,
          status,
        },
      });
      return db.oAuthGrant.create({ data: { id: id(), userId: user.id, applicationId: application.id, scopes: ["profile:read"] } });
    };
    const liveGrant = await app("ACTIVE");
    const disabledGrant = await app("DISABLED");
    const access = async (grantId: string, data: { expiresAt?: Date; revokedAt?: Date } = {}) => {
      const value = generateAppAccessToken();
      await db.oAuthAccessToken.create({
        data: { id: id(), grantId, familyId: id(), tokenHash: hashCredentialSecret(value), scopes: ["profile:read"], expiresAt: future, ...data },
      });
      return value;
    };
    const refresh = async (grantId: string, data: { expiresAt?: Date; revokedAt?: Date; usedAt?: Date } = {}) => {
      const value = generateAppRefreshToken();
      await db.oAuthRefreshToken.create({
        data: { id: id(), grantId, familyId: id(), tokenHash: hashCredentialSecret(value), scopes: ["profile:read"], expiresAt: future, ...data },
      });
      return value;
    };
    cases.push({ name: "live app access token", value: await access(liveGrant.id), expected: { ok: true, kind: "app_access" } });
    cases.push({ name: "revoked app access token", value: await access(liveGrant.id, { revokedAt: past }), expected: { ok: false, reason: "revoked" } });
    cases.push({ name: "expired app access token", value: await access(liveGrant.id, { expiresAt: past }), expected: { ok: false, reason: "expired" } });
    cases.push({ name: "disabled app's access token", value: await access(disabledGrant.id), expected: { ok: false, reason: "disabled" } });
    cases.push({ name: "unknown app access token", value: generateAppAccessToken(), expected: { ok: false, reason: "not_found" } });
    cases.push({ name: "app access token with a checksum typo", value: flipLast(generateAppAccessToken()), expected: { ok: false, reason: "bad_checksum" } });
    cases.push({ name: "live app refresh token", value: await refresh(liveGrant.id), expected: { ok: true, kind: "app_refresh" } });
    cases.push({ name: "used app refresh token", value: await refresh(liveGrant.id, { usedAt: past }), expected: { ok: false, reason: "used" } });
    cases.push({ name: "revoked app refresh token", value: await refresh(liveGrant.id, { revokedAt: past }), expected: { ok: false, reason: "revoked" } });
    cases.push({ name: "expired app refresh token", value: await refresh(liveGrant.id, { expiresAt: past }), expected: { ok: false, reason: "expired" } });
    cases.push({ name: "disabled app's refresh token", value: await refresh(disabledGrant.id), expected: { ok: false, reason: "disabled" } });

    const client = (status: "ACTIVE" | "DISABLED") =>
      db.serviceClient.create({
        data: {
          clientId: generateServiceClientId(),
          name: `svc-${id()}`,
          permissions: ["tokens:introspect"],
          status,
          secretHash: id(),
          secretHint: "x",
          proxyAllow: ["GET google:/calendar/v3"],
        },
      });
    const liveClient = await client("ACTIVE");
    const disabledClient = await client("DISABLED");
    const sat = async (serviceClientId: string, data: { expiresAt?: Date; revokedAt?: Date } = {}) => {
      const value = generateServiceToken();
      await db.serviceAccessToken.create({
        data: { serviceClientId, tokenHash: hashCredentialSecret(value), scopes: ["tokens:introspect"], expiresAt: future, ...data },
      });
      return value;
    };
    cases.push({ name: "live service token", value: await sat(liveClient.id), expected: { ok: true, kind: "service" } });
    cases.push({ name: "revoked service token", value: await sat(liveClient.id, { revokedAt: past }), expected: { ok: false, reason: "revoked" } });
    cases.push({ name: "expired service token", value: await sat(liveClient.id, { expiresAt: past }), expected: { ok: false, reason: "expired" } });
    cases.push({ name: "disabled client's service token", value: await sat(disabledClient.id), expected: { ok: false, reason: "disabled" } });
    cases.push({ name: "unknown service token", value: generateServiceToken(), expected: { ok: false, reason: "not_found" } });
    cases.push({ name: "service token with a checksum typo", value: flipLast(generateServiceToken()), expected: { ok: false, reason: "bad_checksum" } });

    cases.push({ name: "malformed", value: "tsr_pat_not-a-token", expected: { ok: false, reason: "malformed" } });
    cases.push({ name: "another vendor's token", value: "ghp_0123456789abcdef", expected: { ok: false, reason: "bad_prefix" } });
  });

  const summary = (result: CredentialResult) => (result.ok ? { ok: true, kind: result.principal.kind } : { ok: false, reason: result.reason });

  it("each kind and state: live is ok with the right principal, every other state refused with its reason", async () => {
    for (const testCase of cases)
      expect({ name: testCase.name, ...summary(await verifyCredential(testCase.value)) }).toEqual({ name: testCase.name, ...testCase.expected });
  });

  it("introspection's `active` equals verifyCredential's `ok`, for every kind and state", async () => {
    for (const testCase of cases) {
      const verified = await verifyCredential(testCase.value);
      const introspected = await introspectToken(testCase.value);
      expect({ name: testCase.name, active: introspected.active }).toEqual({ name: testCase.name, active: verified.ok });
    }
  });

  it("principals carry who acts: the person for PATs and app tokens, the client as it is now for service tokens", async () => {
    const byKind = async (kind: string) => verifyCredential(cases.find((testCase) => testCase.expected.ok && testCase.expected.kind === kind)!.value);
    const pat = await byKind("pat");
    expect(pat.ok && pat.principal.kind === "pat" && pat.principal.user).toMatchObject({ id: user.id, email: user.email });
    const access = await byKind("app_access");
    expect(access.ok && access.principal.kind === "app_access" && access.principal.user.id).toBe(user.id);
    const service = await byKind("service");
    expect(service.ok && service.principal.kind === "service" && service.principal.token.client).toMatchObject({
      permissions: ["tokens:introspect"],
      proxyAllow: ["GET google:/calendar/v3"],
    });
  });

  it("a kind the caller does not take is refused before any query", async () => {
    const service = cases.find((testCase) => testCase.name === "live service token")!.value;
    expect(await verifyCredential(service, { accept: ["pat", "app_access"] })).toEqual({
      ok: false,
      reason: "not_accepted",
      kind: "service",
      checkedDatabase: false,
    });
  });

  it("one query per presented credential whatever its kind, none for junk (the PAT check gained no query)", async () => {
    const query = vi.spyOn(pg.Client.prototype, "query");
    for (const testCase of cases) {
      query.mockClear();
      await verifyCredential(testCase.value);
      const reachesDatabase = testCase.expected.ok || !["bad_checksum", "malformed", "bad_prefix"].includes(testCase.expected.reason);
      expect({ name: testCase.name, queries: query.mock.calls.length }).toEqual({ name: testCase.name, queries: reachesDatabase ? 1 : 0 });
    }
  });

  it("a rotated-out PAT names itself for reuse detection, and verifyCredential itself revokes nothing", async () => {
    const result = await verifyCredential(rotatedOut.value);
    expect(result).toMatchObject({ ok: false, reason: "revoked", rotatedOut: { id: rotatedOut.id, userId: user.id, familyId: rotatedOut.familyId } });
    // Its successor still works: revoking the family is the API check's job (lib/oauth-apps/verify-bearer-token.ts), not introspection's.
    expect((await verifyCredential(rotatedOut.successor)).ok).toBe(true);
    expect((await introspectToken(rotatedOut.value)).active).toBe(false);
    expect((await verifyCredential(rotatedOut.successor)).ok).toBe(true);
  });
});
