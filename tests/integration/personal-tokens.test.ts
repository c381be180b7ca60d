import { beforeAll, expect, it } from "vitest";
import * as rotateRoute from "@/app/api/tokens/[id]/rotate/route";
import { getDb } from "@/lib/db/client";
import { findToken } from "@/lib/pat/find-token";
import { revokeAllTokens } from "@/lib/pat/revoke-all-tokens";
import { updateTokenDetails, updateTokenDetailsSchema } from "@/lib/pat/update-token-details";
import { verifyCredential } from "@/lib/access-tokens/verify-credential";

const verifyToken = (value: string) => verifyCredential(value, { accept: ["pat"] });
import { callRoute, createSessionCookie, createTokenAsUser, createUser, sameOrigin } from "../helpers/fixtures";
import { describeOnEachDatabase } from "../helpers/test-database";

/*
 * Issue 25: a token's detail page (find, rename, describe, regenerate with a new expiry) and "Revoke all my
 * tokens", each authorised by owner.
 */

type User = { id: string; role: "USER" | "ADMIN" };

async function makeToken(user: User, name: string) {
  const created = await createTokenAsUser(user, { name, scopes: ["profile:read", "tokens:read"], expiresInDays: 30 });
  if (!created.ok) throw new Error(created.message);
  return created;
}

describeOnEachDatabase("personal tokens: detail page and revoke all", () => {
  let alice: User;
  let bob: User;
  beforeAll(async () => {
    alice = await createUser();
    bob = await createUser();
  });

  it("the detail page finds only the owner's token: another person's id is the same nothing as an unknown one", async () => {
    const token = await makeToken(alice, "detail");
    const found = await findToken(alice.id, token.view.id);
    expect(found).toMatchObject({ id: token.view.id, name: "detail", description: "", scopes: ["profile:read", "tokens:read"], status: "active" });
    expect(JSON.stringify(found)).not.toContain(token.token);
    expect(await findToken(bob.id, token.view.id)).toBeNull();
    expect(await findToken(alice.id, "pat_doesNotExist")).toBeNull();
    expect(await findToken(alice.id, "../../etc")).toBeNull();
  });

  it("renames and describes a token (audited without its value), refusing another owner, a taken name and junk", async () => {
    const token = await makeToken(alice, "old name");
    await makeToken(alice, "taken");
    const edit = (input: Record<string, unknown>) => updateTokenDetailsSchema.safeParse({ tokenId: token.view.id, ...input });

    const ok = edit({ name: "  nightly backup ", description: "Backs up the wiki\nevery night." });
    expect(ok.success).toBe(true);
    expect(await updateTokenDetails(bob.id, ok.data!, { actor: { type: "user", id: bob.id }, ip: null })).toEqual({ ok: false, code: "token_not_found" });
    expect((await findToken(alice.id, token.view.id))!.name).toBe("old name");

    expect(await updateTokenDetails(alice.id, ok.data!, { actor: { type: "user", id: alice.id }, ip: "203.0.113.5" })).toEqual({ ok: true });
    expect(await findToken(alice.id, token.view.id)).toMatchObject({ name: "nightly backup", description: "Backs up the wiki\nevery night." });
    // Still the same credential: the value keeps working.
    expect((await verifyToken(token.token)).ok).toBe(true);
    const audit = await getDb().auditEvent.findFirstOrThrow({ where: { action: "pat.updated", patId: token.view.id } });
    expect(audit).toMatchObject({ actorId: alice.id, subjectUserId: alice.id, tokenNames: ["old name", "nightly backup"], ip: "203.0.113.5" });
    expect(JSON.stringify(audit)).not.toContain(token.token);

    const clash = edit({ name: "taken", description: "" });
    expect(await updateTokenDetails(alice.id, clash.data!, { actor: { type: "user", id: alice.id }, ip: null })).toEqual({
      ok: false,
      code: "token_name_taken",
    });

    expect(edit({ name: "", description: "" }).success).toBe(false);
    expect(edit({ name: "x".repeat(101), description: "" }).success).toBe(false);
    expect(edit({ name: "ok", description: "x".repeat(501) }).success).toBe(false);
    expect(edit({ name: "ok", description: "nul\u0000byte" }).success).toBe(false);
    expect(updateTokenDetailsSchema.safeParse({ tokenId: "'; drop table", name: "ok", description: "" }).success).toBe(false);
  });

  it("Regenerate with a new expiry: the new token lives that long, keeps the description, and the old id's page shows it replaced", async () => {
    const token = await makeToken(alice, "regenerate with expiry");
    await updateTokenDetails(alice.id, updateTokenDetailsSchema.parse({ tokenId: token.view.id, name: "regenerate with expiry", description: "CI" }), {
      actor: { type: "user", id: alice.id },
      ip: null,
    });
    const cookie = await createSessionCookie(alice.id);
    const before = Date.now();
    const response = await callRoute(rotateRoute.POST, {
      method: "POST",
      path: `/api/tokens/${token.view.id}/rotate`,
      params: { id: token.view.id },
      headers: sameOrigin(cookie),
      body: { overlapSeconds: 0, expiresInDays: 7 },
    });
    expect(response.status).toBe(201);
    const body = response.json();
    const days = (Date.parse(body.expiresAt) - before) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThan(7.01);
    expect((await findToken(alice.id, body.id))!.description).toBe("CI");
    expect(await findToken(alice.id, token.view.id)).toMatchObject({ status: "revoked", revokedReason: "rotated" });
  });

  it("Revoke all my tokens ends every active token of the owner, none of anyone else's, in one audit event without values", async () => {
    const carol = await createUser();
    const dave = await createUser();
    const mine = [await makeToken(carol, "ci"), await makeToken(carol, "backup"), await makeToken(carol, "laptop")];
    const theirs = [await makeToken(dave, "ci"), await makeToken(dave, "backup")];

    expect(await revokeAllTokens(carol.id, { actor: { type: "user", id: carol.id }, ip: "203.0.113.9" })).toBe(3);

    for (const token of mine) expect((await verifyToken(token.token)).ok, `${token.view.name} stops`).toBe(false);
    for (const token of theirs) expect((await verifyToken(token.token)).ok, `dave's ${token.view.name} keeps working`).toBe(true);
    expect(await getDb().personalAccessToken.count({ where: { userId: dave.id, revokedAt: { not: null } } })).toBe(0);

    const events = await getDb().auditEvent.findMany({ where: { action: "pat.revoked_all", subjectUserId: carol.id } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorId: carol.id, ip: "203.0.113.9" });
    expect([...events[0]!.tokenNames].sort()).toEqual(["backup", "ci", "laptop"]);
    for (const token of mine) expect(JSON.stringify(events[0])).not.toContain(token.token);

    // Nothing left: nothing written.
    expect(await revokeAllTokens(carol.id, { actor: { type: "user", id: carol.id }, ip: null })).toBe(0);
    expect(await getDb().auditEvent.count({ where: { action: "pat.revoked_all", subjectUserId: carol.id } })).toBe(1);
  });
});
