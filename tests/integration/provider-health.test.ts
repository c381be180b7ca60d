import { expect, it } from "vitest";
import { getProviderHealth } from "@/lib/admin/get-provider-health";
import { getDb } from "@/lib/db/client";
import { recordProviderClientError } from "@/lib/provider-tokens/record-provider-client-error";
import { storeSignInTokens } from "@/lib/provider-tokens/store-sign-in-tokens";
import { createUser } from "../helpers/fixtures";
import { describeOnEachDatabase } from "../helpers/test-database";

const now = new Date("2026-11-24T12:00:00Z");
const at = (hhmm: string) => new Date(`2026-11-24T${hhmm}:00Z`);

async function refreshEvent(provider: string, ok: boolean, createdAt: Date, latencyMs: number) {
  await getDb().auditEvent.create({
    data: {
      action: ok ? "provider_token.refreshed" : "provider_token.refresh_failed",
      actorType: "system",
      provider,
      createdAt,
      detail: ok ? { latencyMs } : { reason: "provider answered 503", retryable: true, latencyMs },
    },
  });
}

describeOnEachDatabase("the provider health panel's figures", () => {
  it('reads "Microsoft refreshes are failing since 10:42" from the audit events, with rates, p95, backoff, dead grants and the client error', async () => {
    // Google: healthy all day. Microsoft: fine until 10:30, failing from 10:42 on.
    for (const minute of ["02:00", "06:00", "11:10", "11:20", "11:30", "11:40"]) await refreshEvent("google", true, at(minute), 100);
    await refreshEvent("google", true, at("11:50"), 900);
    await refreshEvent("microsoft-entra-id", true, at("10:30"), 200);
    for (const minute of ["10:42", "11:05", "11:15", "11:45"]) await refreshEvent("microsoft-entra-id", false, at(minute), 10_000);
    await refreshEvent("microsoft-entra-id", false, at("09:00"), 50); // before the last success: not part of the current streak
    await getDb().auditEvent.create({
      data: { action: "connection.reconnect_required", actorType: "system", provider: "microsoft-entra-id", createdAt: at("11:00") },
    });
    await getDb().auditEvent.create({
      data: { action: "connection.reconnect_required", actorType: "system", provider: "microsoft-entra-id", createdAt: new Date("2026-11-22T11:00:00Z") },
    });
    const user = await createUser();
    await storeSignInTokens(user.id, "microsoft-entra-id", { accessToken: "health-access", refreshToken: "health-refresh" });
    await getDb().providerConnection.updateMany({ where: { userId: user.id }, data: { nextRefreshAt: at("12:05"), refreshFailures: 3 } });
    await recordProviderClientError("microsoft-entra-id", "invalid_client", at("11:45"));

    const health = await getProviderHealth(now);
    const google = health.find((row) => row.provider === "google")!;
    const microsoft = health.find((row) => row.provider === "microsoft-entra-id")!;

    expect(google.failingSince).toBeNull();
    expect(google.lastDay).toMatchObject({ succeeded: 7, failed: 0, successRate: 1 });
    expect(google.lastHour).toMatchObject({ succeeded: 5, failed: 0, successRate: 1 });
    expect(google.lastHour.p95LatencyMs).toBeGreaterThan(100); // the 900 ms outlier pulls the 95th percentile up
    expect(microsoft.failingSince).toEqual(at("10:42"));
    expect(microsoft.lastHour).toEqual({ succeeded: 0, failed: 3, successRate: 0, p95LatencyMs: 10_000 });
    expect(microsoft.lastDay).toMatchObject({ succeeded: 1, failed: 5, successRate: 1 / 6 });
    expect(microsoft.backingOff).toEqual({ connections: 1, until: at("12:05") });
    expect(microsoft.deadGrantsLastDay).toBe(1);
    expect(microsoft.clientError).toEqual({ at: at("11:45"), message: "invalid_client" });
    expect(google.alarm).toBe(false);
    expect(microsoft.alarm).toBe(true);
  });

  it("one person's dead grant is no alarm: no 'failing since', no red, one connection to reconnect (issue 25)", async () => {
    const user = await createUser();
    await getDb().auditEvent.create({
      data: { action: "provider_token.refreshed", actorType: "system", provider: "github", createdAt: at("09:00"), detail: { latencyMs: 80 } },
    });
    // What lib/provider-tokens/refresh-outcomes.ts records when a refresh token was revoked at the provider.
    await getDb().auditEvent.create({
      data: {
        action: "provider_token.refresh_failed",
        actorType: "system",
        subjectUserId: user.id,
        provider: "github",
        createdAt: at("11:00"),
        detail: { reason: "invalid_grant", retryable: false, latencyMs: 90 },
      },
    });
    await getDb().auditEvent.create({
      data: { action: "connection.reconnect_required", actorType: "system", subjectUserId: user.id, provider: "github", createdAt: at("11:00") },
    });
    const github = (await getProviderHealth(now)).find((row) => row.provider === "github")!;
    expect(github).toMatchObject({ failingSince: null, failingConnections: 0, alarm: false, deadGrantsLastDay: 1, backingOff: { connections: 0 } });
  });

  it("one connection's passing failure is no alarm either; the same failure at two connections is", async () => {
    const [one, two] = [await createUser(), await createUser()];
    const failure = (userId: string, hhmm: string) =>
      getDb().auditEvent.create({
        data: {
          action: "provider_token.refresh_failed",
          actorType: "system",
          subjectUserId: userId,
          provider: "atlassian",
          createdAt: at(hhmm),
          detail: { reason: "provider answered 503", retryable: true, failures: 1, latencyMs: 30 },
        },
      });
    await failure(one.id, "11:00");
    await failure(one.id, "11:10"); // the same connection retrying: still one
    let atlassian = (await getProviderHealth(now)).find((row) => row.provider === "atlassian")!;
    expect(atlassian).toMatchObject({ failingSince: at("11:00"), failingConnections: 1, alarm: false });
    await failure(two.id, "11:20");
    atlassian = (await getProviderHealth(now)).find((row) => row.provider === "atlassian")!;
    expect(atlassian).toMatchObject({ failingSince: at("11:00"), failingConnections: 2, alarm: true });
  });
});
