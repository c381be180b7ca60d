import { expect, it } from "vitest";
import { listAuditEvents } from "@/lib/admin/list-audit-events";
import { getDb } from "@/lib/db/client";
import { storeSignInTokens } from "@/lib/provider-tokens/store-sign-in-tokens";
import { authenticateServiceClient } from "@/lib/service-clients/authenticate-service-client";
import { createServiceClient } from "@/lib/service-clients/create-service-client";
import { deleteServiceClient } from "@/lib/service-clients/delete-service-client";
import { exchangeForProviderToken, PROVIDER_ACCESS_TOKEN_TYPE, USER_ID_TOKEN_TYPE } from "@/lib/service-clients/exchange-for-provider-token";
import { listServiceUsage } from "@/lib/service-clients/list-service-usage";
import { setServiceBlock } from "@/lib/service-clients/set-service-block";
import { createUser } from "../helpers/fixtures";
import { describeOnEachDatabase } from "../helpers/test-database";

/*
 * What /settings/connections and the admin security tab show about services, and the person's block.
 * Mutation check (made once, saw red, restored): lib/service-clients/list-service-usage.ts, the
 * `detail: { path: ["outcome"], equals: "success" }` filter removed → the refused exchange is counted (3, not 2).
 */
describeOnEachDatabase("service usage and blocks", () => {
  async function service(name: string) {
    const admin = await createUser({ role: "ADMIN" });
    const created = await createServiceClient({ name, permissions: ["credentials:*:read"] }, { type: "admin", id: admin.id }, null);
    if (!created.ok) throw new Error(created.message);
    return (await authenticateServiceClient(created.view.clientId, created.clientSecret))!;
  }
  const exchange = (client: Awaited<ReturnType<typeof service>>, userId: string, provider: string, purpose: string) =>
    exchangeForProviderToken(
      client,
      { subjectToken: userId, subjectTokenType: USER_ID_TOKEN_TYPE, requestedTokenType: PROVIDER_ACCESS_TOKEN_TYPE, audience: provider, purpose },
      null,
      "http://tessera.test",
    );

  it("lists per provider the services that obtained the token (count, last time, last purpose); a block refuses and shows", async () => {
    const user = await createUser();
    const other = await createUser();
    await storeSignInTokens(user.id, "github", { accessToken: "usage-github-token" });
    await storeSignInTokens(other.id, "github", { accessToken: "usage-other-token" });
    const sync = await service("repo-sync");
    const mailer = await service("mailer");

    expect((await exchange(sync, user.id, "github", "first")).ok).toBe(true);
    expect((await exchange(sync, user.id, "github", "second")).ok).toBe(true);
    expect((await exchange(sync, user.id, "google", "not connected")).ok).toBe(false);
    expect((await exchange(mailer, other.id, "github", "someone else")).ok).toBe(true);

    const usage = await listServiceUsage(user.id);
    expect(Object.keys(usage)).toEqual(["github"]);
    expect(usage.github).toEqual([expect.objectContaining({ name: "repo-sync", count: 2, lastPurpose: "second", blocked: false })]);

    expect(await setServiceBlock(user.id, sync.id, "github", true, { type: "user", id: user.id }, null)).toBe(true);
    const refused = await exchange(sync, user.id, "github", "after block");
    expect(refused).toEqual({ ok: false, error: "invalid_request", description: "access_denied_by_user" });
    expect((await exchange(sync, other.id, "github", "other person unaffected")).ok).toBe(true);
    expect((await listServiceUsage(user.id)).github).toEqual([expect.objectContaining({ name: "repo-sync", count: 2, blocked: true })]);
    expect(await getDb().auditEvent.count({ where: { action: "service.blocked", subjectUserId: user.id } })).toBe(1);

    // A service blocked without ever obtaining the token is still listed, so it can be allowed again.
    await setServiceBlock(user.id, mailer.id, "google", true, { type: "user", id: user.id }, null);
    expect((await listServiceUsage(user.id)).google).toEqual([expect.objectContaining({ name: "mailer", count: 0, blocked: true })]);

    await setServiceBlock(user.id, sync.id, "github", false, { type: "user", id: user.id }, null);
    expect((await exchange(sync, user.id, "github", "allowed again")).ok).toBe(true);

    await deleteServiceClient(sync.id, { type: "system" }, null);
    expect((await listServiceUsage(user.id)).github).toBeUndefined();
    expect(await setServiceBlock(user.id, sync.id, "github", true, { type: "user", id: user.id }, null)).toBe(false);
  });

  it("the audit log filters by service: what it did and what was done to it, nothing of other services", async () => {
    const user = await createUser();
    await storeSignInTokens(user.id, "github", { accessToken: "audit-filter-token" });
    const a = await service("audited-a");
    const b = await service("audited-b");
    await exchange(a, user.id, "github", "a's exchange");
    await exchange(b, user.id, "github", "b's exchange");
    await setServiceBlock(user.id, a.id, "github", true, { type: "user", id: user.id }, null);
    const { events } = await listAuditEvents({ service: a.id });
    expect(events.map((e) => e.action).sort()).toEqual(["service.blocked", "service.created", "service.token_exchanged"]);
    expect(JSON.stringify(events)).not.toContain("b's exchange");
  });
});
