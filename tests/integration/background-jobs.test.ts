import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { markLongFailingConnections, refreshAhead, keepAliveProviders, keepRefreshTokensAlive, DEAD_AFTER_FAILING_MS } from "@/lib/jobs/refresh-ahead";
import { purgeExpired } from "@/lib/jobs/purge-expired";
import { sendPatNotices } from "@/lib/jobs/send-pat-notices";
import { startJobWorkers, stopJobWorkers } from "@/lib/jobs/start-job-workers";
import { getFreshAccessToken } from "@/lib/provider-tokens/get-fresh-access-token";
import { listNotifications, markNotificationsRead } from "@/lib/notifications/list-notifications";
import { createTokenAsUser, createUser } from "../helpers/fixtures";
import { connectedUser } from "../helpers/connected-user";
import { startDemoIdpForFile } from "../helpers/demo-idp";
import { unregisterReadinessCheck } from "@/lib/runtime/process-lifecycle";
import { describeOnEachDatabase } from "../helpers/test-database";
import { waitFor } from "../helpers/webhook-receiver";

const demoIdp = startDemoIdpForFile();
const DAY = 86_400_000;

async function pat(userId: string, name: string, expiresInDays = 30) {
  const created = await createTokenAsUser({ id: userId, role: "USER" }, { name, scopes: ["profile:read"], expiresInDays });
  if (!created.ok) throw new Error(created.message);
  return created;
}

describeOnEachDatabase("background jobs", (current) => {
  it("proactive refresh: a connection used recently and expiring within 15 min is refreshed once; an unused one is not", async () => {
    const used = await connectedUser(demoIdp(), "google");
    const unused = await connectedUser(demoIdp(), "google");
    const soon = new Date(Date.now() + 10 * 60_000);
    await getDb().providerConnection.updateMany({ where: { userId: { in: [used.user.id, unused.user.id] } }, data: { accessTokenExpiresAt: soon } });
    // A caller's use (not the job's) is what counts.
    await getFreshAccessToken(used.user.id, "google");
    await getDb().providerConnection.updateMany({ where: { userId: unused.user.id }, data: { lastUsedAt: new Date(Date.now() - 31 * DAY) } });

    const report = await refreshAhead();
    expect(report).toMatchObject({ candidates: 1, refreshed: 1, failed: 0 });
    const after = await getDb().providerConnection.findFirstOrThrow({ where: { userId: used.user.id } });
    expect(after.accessTokenExpiresAt!.getTime()).toBeGreaterThan(soon.getTime());
    expect(after.lastRefreshedAt!.getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect((await getDb().providerConnection.findFirstOrThrow({ where: { userId: unused.user.id } })).accessTokenExpiresAt).toEqual(soon);
    // A token with more than 15 minutes left is left alone.
    await getDb().providerConnection.updateMany({ where: { userId: used.user.id }, data: { accessTokenExpiresAt: new Date(Date.now() + 3_600_000) } });
    expect((await refreshAhead()).refreshed).toBe(0);
  });

  it("refresh failures back off through the same path; 4 consecutive failing days mark needs_reconnect with an audit event", async () => {
    const { user } = await connectedUser(demoIdp(), "google");
    await getDb().providerConnection.updateMany({
      where: { userId: user.id },
      data: { accessTokenExpiresAt: new Date(Date.now() + 5 * 60_000), lastUsedAt: new Date() },
    });
    await getDb().providerConnection.updateMany({ where: { userId: { not: user.id } }, data: { lastUsedAt: null } });
    demoIdp().faults.tokenStatus = 503;
    try {
      const report = await refreshAhead();
      expect(report.failed).toBe(1);
    } finally {
      demoIdp().faults.tokenStatus = null;
    }
    const failing = await getDb().providerConnection.findFirstOrThrow({ where: { userId: user.id } });
    expect(failing.status).toBe("ACTIVE");
    expect(failing.refreshFailingSince).not.toBeNull();
    expect(failing.nextRefreshAt!.getTime()).toBeGreaterThan(Date.now());

    expect(await markLongFailingConnections()).toBe(0); // one day is not four
    await getDb().providerConnection.updateMany({
      where: { userId: user.id },
      data: { refreshFailingSince: new Date(Date.now() - DEAD_AFTER_FAILING_MS - 1000) },
    });
    expect(await markLongFailingConnections()).toBe(1);
    const dead = await getDb().providerConnection.findFirstOrThrow({ where: { userId: user.id }, include: { tokens: true } });
    expect(dead.status).toBe("NEEDS_RECONNECT");
    expect(dead.reconnectReason).toMatch(/4 consecutive days/);
    expect(dead.tokens).toHaveLength(0);
    expect(await getDb().auditEvent.count({ where: { subjectUserId: user.id, action: "connection.reconnect_required" } })).toBe(1);
  });

  it("a refresh that succeeds after failures records connection.recovered", async () => {
    const { user } = await connectedUser(demoIdp(), "google", { expired: true });
    await getDb().providerConnection.updateMany({ where: { userId: user.id }, data: { refreshFailures: 2, refreshFailingSince: new Date(Date.now() - DAY) } });
    await getFreshAccessToken(user.id, "google");
    const row = await getDb().providerConnection.findFirstOrThrow({ where: { userId: user.id } });
    expect(row.refreshFailingSince).toBeNull();
    expect(await getDb().auditEvent.count({ where: { subjectUserId: user.id, action: "connection.recovered" } })).toBe(1);
  });

  it("keep-alive covers what the catalogue says expires unused (Atlassian's 90 days) besides Microsoft, unless the operator lists providers", () => {
    const saved = process.env.TESSERA_KEEPALIVE_PROVIDERS;
    delete process.env.TESSERA_KEEPALIVE_PROVIDERS;
    try {
      expect(keepAliveProviders()).toEqual(["microsoft-entra-id", "atlassian"]);
      process.env.TESSERA_KEEPALIVE_PROVIDERS = "github, slack";
      expect(keepAliveProviders()).toEqual(["github", "slack"]);
    } finally {
      if (saved === undefined) delete process.env.TESSERA_KEEPALIVE_PROVIDERS;
      else process.env.TESSERA_KEEPALIVE_PROVIDERS = saved;
    }
  });

  it("keep-alive refreshes Microsoft connections idle for a week, even unused, and leaves fresh ones alone", async () => {
    const idle = await connectedUser(demoIdp(), "microsoft-entra-id");
    const fresh = await connectedUser(demoIdp(), "microsoft-entra-id");
    await getDb().providerConnection.updateMany({
      where: { userId: idle.user.id },
      data: { lastRefreshedAt: new Date(Date.now() - 8 * DAY), lastUsedAt: null },
    });
    await getDb().providerConnection.updateMany({ where: { userId: fresh.user.id }, data: { lastRefreshedAt: new Date() } });
    const report = await keepRefreshTokensAlive();
    expect(report).toMatchObject({ candidates: 1, refreshed: 1 });
    const row = await getDb().providerConnection.findFirstOrThrow({ where: { userId: idle.user.id } });
    expect(row.lastRefreshedAt!.getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it("purge deletes revoked/expired PATs, service tokens and sessions past retention; keeps audit events and live rows", async () => {
    const user = await createUser();
    const old = await pat(user.id, "old-revoked");
    const recent = await pat(user.id, "recent-revoked");
    const live = await pat(user.id, "live");
    await getDb().personalAccessToken.update({ where: { id: old.view.id }, data: { revokedAt: new Date(Date.now() - 91 * DAY) } });
    await getDb().personalAccessToken.update({ where: { id: recent.view.id }, data: { revokedAt: new Date(Date.now() - 5 * DAY) } });
    await getDb().session.create({ data: { sessionToken: `old-${current().kind}`, userId: user.id, expires: new Date(Date.now() - 100 * DAY) } });
    const auditBefore = await getDb().auditEvent.count();

    const counts = await purgeExpired();
    expect(counts.personalAccessTokens).toBe(1);
    expect(counts.sessions).toBe(1);
    const left = await getDb().personalAccessToken.findMany({ where: { userId: user.id }, select: { id: true } });
    expect(left.map((t) => t.id).sort()).toEqual([recent.view.id, live.view.id].sort());
    expect(await getDb().auditEvent.count()).toBe(auditBefore + 1); // nothing deleted, one "retention.purged" added

    process.env.TESSERA_RETENTION_DAYS = "3";
    try {
      expect((await purgeExpired()).personalAccessTokens).toBe(1);
    } finally {
      delete process.env.TESSERA_RETENTION_DAYS;
    }
  });

  it("PAT expiry notices at 7 days and 1 day, once each, shown in the person's notifications", async () => {
    const user = await createUser();
    const week = await pat(user.id, "expires-in-6-days", 6);
    await pat(user.id, "expires-in-30-days", 30);
    const first = await sendPatNotices();
    expect(first.expiryNotices).toBe(1);
    expect((await sendPatNotices()).expiryNotices).toBe(0); // re-run (or another instance): nothing new

    await getDb().personalAccessToken.update({ where: { id: week.view.id }, data: { expiresAt: new Date(Date.now() + 20 * 3_600_000) } });
    expect((await sendPatNotices()).expiryNotices).toBe(1);
    const { items, unread } = await listNotifications(user.id);
    expect(items.map((n) => n.title)).toEqual(['Token "expires-in-6-days" expires in 1 day', 'Token "expires-in-6-days" expires in 7 days']);
    expect(unread).toBe(2);
    expect(await getDb().auditEvent.count({ where: { patId: week.view.id, action: "pat.expiry_notice" } })).toBe(2);
    expect(await markNotificationsRead(user.id)).toBe(2);
    expect((await listNotifications(user.id)).unread).toBe(0);
  });

  it("a rotated-out token gets no expiry notice when its overlap is about to end: its successor is what expires", async () => {
    const user = await createUser();
    const old = await pat(user.id, "rotated-out", 30);
    const successor = await pat(user.id, "rotated-out (new)", 30);
    // As rotateToken leaves it with a one-day overlap (send-pat-notices.ts: `replacedById: null` guards this).
    await getDb().personalAccessToken.update({
      where: { id: old.view.id },
      data: { replacedById: successor.view.id, rotatedAt: new Date(), expiresAt: new Date(Date.now() + 20 * 3_600_000) },
    });
    expect((await sendPatNotices()).expiryNotices).toBe(0);
    expect((await listNotifications(user.id)).items).toEqual([]);
  });

  it("inactivity policy: off by default; with PAT_REVOKE_AFTER_UNUSED_DAYS a notice 7 days before, then revocation", async () => {
    const user = await createUser();
    const token = await pat(user.id, "forgotten", 365);
    await getDb().personalAccessToken.update({ where: { id: token.view.id }, data: { lastUsedAt: new Date(Date.now() - 25 * DAY) } });
    expect((await sendPatNotices()).unusedNotices).toBe(0);
    process.env.PAT_REVOKE_AFTER_UNUSED_DAYS = "30";
    try {
      expect(await sendPatNotices()).toMatchObject({ unusedNotices: 1, revokedUnused: 0 });
      expect((await getDb().personalAccessToken.findUniqueOrThrow({ where: { id: token.view.id } })).revokedAt).toBeNull();
      await getDb().personalAccessToken.update({ where: { id: token.view.id }, data: { lastUsedAt: new Date(Date.now() - 31 * DAY) } });
      expect(await sendPatNotices()).toMatchObject({ revokedUnused: 1 });
      expect((await getDb().personalAccessToken.findUniqueOrThrow({ where: { id: token.view.id } })).revokedAt).not.toBeNull();
      const audit = await getDb().auditEvent.findFirstOrThrow({ where: { patId: token.view.id, action: "pat.revoked" } });
      expect(audit.detail).toMatchObject({ reason: "unused for 30 days" });
      // The token list says why it stopped (revoke-token.ts stores the reason's code).
      expect((await getDb().personalAccessToken.findUniqueOrThrow({ where: { id: token.view.id } })).revokedReason).toBe("unused");
    } finally {
      delete process.env.PAT_REVOKE_AFTER_UNUSED_DAYS;
    }
  });

  describe_mail();

  function describe_mail() {
    let smtp: SMTPServer | undefined;
    const mails: { to: string[]; data: string }[] = [];
    let failNext = 0;
    beforeAll(async () => {
      smtp = new SMTPServer({
        authOptional: true,
        disabledCommands: ["STARTTLS"],
        onData(stream, session, callback) {
          let data = "";
          stream.on("data", (chunk: Buffer) => (data += chunk.toString("utf8")));
          stream.on("end", () => {
            if (failNext > 0) {
              failNext--;
              return callback(Object.assign(new Error("mailbox busy"), { responseCode: 451 }));
            }
            mails.push({ to: session.envelope.rcptTo.map((r) => r.address), data });
            callback();
          });
        },
      });
      await new Promise<void>((resolve) => smtp!.listen(0, "127.0.0.1", resolve));
      const port = (smtp as unknown as { server: { address(): { port: number } } }).server.address().port;
      process.env.SMTP_URL = `smtp://127.0.0.1:${port}`;
      process.env.TESSERA_MAIL_RETRY_DELAY_SECONDS = "1";
      await startJobWorkers({ pollingIntervalSeconds: 0.5 });
    });
    afterAll(async () => {
      await stopJobWorkers();
      unregisterReadinessCheck("workers");
      delete process.env.SMTP_URL;
      delete process.env.TESSERA_MAIL_RETRY_DELAY_SECONDS;
      await new Promise<void>((resolve) => smtp?.close(() => resolve()));
    });

    it("with SMTP_URL, an expiry notice is mailed once (a refused first try is retried by the queue)", async () => {
      const user = await createUser({ email: `mailme-${current().kind}@example.com` });
      const created = await pat(user.id, "mailed-token", 3);
      failNext = 1;
      await sendPatNotices();
      await waitFor(() => mails.some((m) => m.to.includes(user.email!)), 60_000, "the notice mail");
      const mail = mails.find((m) => m.to.includes(user.email!))!;
      expect(mail.data).toContain('Your personal access token "mailed-token" expires on');
      expect(mail.data).not.toContain(created.token);
      await waitFor(async () => (await getDb().notification.findFirst({ where: { userId: user.id } }))?.mailedAt != null, 5000, "mailedAt");
      expect(mails.filter((m) => m.to.includes(user.email!))).toHaveLength(1);
      expect(failNext).toBe(0); // the first try was refused (451) and the queue retried it
    }, 90_000);
  }
});
