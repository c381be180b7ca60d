import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { getDb, getPool } from "@/lib/db/client";
import { enqueueJob, QUEUES } from "@/lib/queue/job-queue";
import { startJobWorkers, stopJobWorkers } from "@/lib/jobs/start-job-workers";
import { revokeToken } from "@/lib/pat/revoke-token";
import { createWebhookEndpoint, deleteWebhookEndpoint } from "@/lib/webhooks/manage-webhook-endpoints";
import { DISABLE_AFTER_FAILING_MS } from "@/lib/webhooks/deliver-webhook";
import { verifyWebhookSignature, signWebhookPayload } from "@/lib/webhooks/webhook-signature";
import { createTokenAsUser, createUser } from "../helpers/fixtures";
import { unregisterReadinessCheck } from "@/lib/runtime/process-lifecycle";
import { describeOnEachDatabase } from "../helpers/test-database";
import { startWebhookReceiver, waitFor } from "../helpers/webhook-receiver";

const admin = { type: "admin" as const, id: "admin-for-webhooks" };
const saved = { ...process.env };

beforeAll(() => {
  process.env.TESSERA_WEBHOOK_ALLOW_PRIVATE = "1";
  process.env.TESSERA_WEBHOOK_RETRY_BASE_SECONDS = "1";
  process.env.TESSERA_WEBHOOK_TIMEOUT_MS = "1500";
});
afterAll(() => {
  for (const key of ["TESSERA_WEBHOOK_ALLOW_PRIVATE", "TESSERA_WEBHOOK_RETRY_BASE_SECONDS", "TESSERA_WEBHOOK_TIMEOUT_MS"]) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
});

async function revokedPat(email: string) {
  const user = await createUser({ email });
  const created = await createTokenAsUser({ id: user.id, role: "USER" }, { name: "ci-deploy", scopes: ["profile:read"], expiresInDays: 7 });
  if (!created.ok) throw new Error(created.message);
  await revokeToken(user.id, created.view.id, { type: "user", id: user.id });
  return { user, token: created.token, patId: created.view.id };
}

it("verifyWebhookSignature accepts its own signature and rejects a changed body, a wrong secret and an old timestamp", () => {
  const now = Math.floor(Date.now() / 1000);
  const header = signWebhookPayload("s3cret", '{"a":1}', now);
  expect(verifyWebhookSignature("s3cret", '{"a":1}', header)).toEqual({ ok: true, timestamp: now });
  expect(verifyWebhookSignature("s3cret", '{"a":2}', header)).toEqual({ ok: false, reason: "signature_mismatch" });
  expect(verifyWebhookSignature("other", '{"a":1}', header)).toEqual({ ok: false, reason: "signature_mismatch" });
  const old = signWebhookPayload("s3cret", '{"a":1}', now - 301);
  expect(verifyWebhookSignature("s3cret", '{"a":1}', old)).toEqual({ ok: false, reason: "timestamp_outside_tolerance" });
  expect(verifyWebhookSignature("s3cret", '{"a":1}', "v1=abc")).toEqual({ ok: false, reason: "malformed_header" });
});

describeOnEachDatabase("signed webhooks through the job queue", (current) => {
  beforeAll(async () => {
    await startJobWorkers({ pollingIntervalSeconds: 0.5 });
  });
  afterAll(async () => {
    await stopJobWorkers();
    unregisterReadinessCheck("workers");
  });
  afterEach(async () => {
    await getDb().webhookEndpoint.deleteMany({});
  });

  it("a job sent inside a transaction exists only if it commits", async () => {
    const count = async () =>
      Number((await getPool().query(`SELECT count(*) FROM pgboss.job WHERE name = $1 AND data->>'marker' = 'tx-test'`, [QUEUES.mail])).rows[0].count);
    await getDb()
      .$transaction(async (tx) => {
        await enqueueJob(QUEUES.mail, { marker: "tx-test", notificationId: "none" }, { tx, startAfter: new Date(Date.now() + 3_600_000) });
        throw new Error("roll back");
      })
      .catch(() => {});
    expect(await count()).toBe(0);
    await getDb().$transaction(async (tx) => {
      await enqueueJob(QUEUES.mail, { marker: "tx-test", notificationId: "none" }, { tx, startAfter: new Date(Date.now() + 3_600_000) });
    });
    expect(await count()).toBe(1);
  });

  it("delivers pat.revoked signed, retries after a 500, logs both attempts, and never sends the token", async () => {
    let secret = "";
    const receiver = await startWebhookReceiver({ secret: () => secret, answer: (n) => (n === 0 ? 500 : 200) });
    try {
      const created = await createWebhookEndpoint({ url: receiver.url, events: ["pat.revoked"] }, admin, null);
      if (!created.ok) throw new Error(created.message);
      secret = created.secret;
      const { patId, token, user } = await revokedPat(`hook-${current().kind}@example.com`);

      await waitFor(() => receiver.received.length >= 2, 20_000, "a retry after the 500");
      expect(receiver.received.map((r) => r.status)).toEqual([500, 200]);
      expect(receiver.received.every((r) => r.verified)).toBe(true);
      expect(receiver.received[1]!.at - receiver.received[0]!.at).toBeGreaterThanOrEqual(700); // backoff, not a hot loop
      const payload = JSON.parse(receiver.received[1]!.body);
      expect(payload).toMatchObject({ type: "pat.revoked", data: { userId: user.id, patId, tokenNames: ["ci-deploy"] } });
      expect(payload.id).toMatch(/^evt_/);
      expect(receiver.received[0]!.body).toBe(receiver.received[1]!.body);
      for (const r of receiver.received) expect(r.body).not.toContain(token);

      await waitFor(
        async () => (await getDb().webhookDelivery.findFirst({ where: { endpointId: created.id } }))?.status === "SUCCEEDED",
        5000,
        "delivery marked succeeded",
      );
      const attempts = await getDb().webhookAttempt.findMany({ where: { delivery: { endpointId: created.id } }, orderBy: { attempt: "asc" } });
      expect(attempts.map((a) => [a.attempt, a.statusCode])).toEqual([
        [1, 500],
        [2, 200],
      ]);
      // Delivered once: no third request arrives.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(receiver.received).toHaveLength(2);
    } finally {
      await receiver.close();
    }
  });

  it("an endpoint not subscribed to an event, or deleted, gets nothing", async () => {
    const receiver = await startWebhookReceiver();
    try {
      const other = await createWebhookEndpoint({ url: receiver.url, events: ["connection.disconnected"] }, admin, null);
      const gone = await createWebhookEndpoint({ url: receiver.url, events: ["pat.revoked"] }, admin, null);
      if (!other.ok || !gone.ok) throw new Error("create failed");
      expect(await deleteWebhookEndpoint(gone.id, admin, null)).toBe(true);
      await revokedPat(`nohook-${current().kind}@example.com`);
      await new Promise((resolve) => setTimeout(resolve, 2000));
      expect(receiver.received).toHaveLength(0);
      expect(await getDb().webhookDelivery.count({ where: { endpointId: other.id } })).toBe(0);
    } finally {
      await receiver.close();
    }
  });

  it("a receiver that hangs or answers garbage is a failed attempt with a reason, retried; the queue keeps going", async () => {
    const receiver = await startWebhookReceiver({ answer: (n) => (n === 0 ? "hang" : n === 1 ? "garbage" : 204) });
    try {
      const created = await createWebhookEndpoint({ url: receiver.url, events: ["pat.revoked"] }, admin, null);
      if (!created.ok) throw new Error(created.message);
      await revokedPat(`slow-${current().kind}@example.com`);
      await waitFor(() => receiver.received.length >= 3, 30_000, "three attempts");
      await waitFor(async () => (await getDb().webhookAttempt.count({ where: { delivery: { endpointId: created.id } } })) >= 3, 5000, "three logged attempts");
      const attempts = await getDb().webhookAttempt.findMany({ where: { delivery: { endpointId: created.id } }, orderBy: { attempt: "asc" } });
      expect(attempts[0]!.statusCode).toBeNull();
      expect(attempts[0]!.error).toMatch(/no answer within 1500 ms/);
      expect(attempts[0]!.durationMs).toBeGreaterThanOrEqual(1400);
      expect(attempts[1]!.statusCode).toBeNull();
      expect(attempts[1]!.error).toBeTruthy();
      expect(attempts[2]!.statusCode).toBe(204);
    } finally {
      await receiver.close();
    }
  });

  // Mutation check: the old post() (fetch, body cancelled unread) logged the reset-mid-body attempt as a 200 success
  // and sent nothing more (seen); send-webhook-request.ts's response "error"/"close" listeners make it a failure.
  it("a receiver that resets mid-body, then answers 304, then 204 with no body: two failed attempts, retried, then success", async () => {
    const receiver = await startWebhookReceiver({ answer: (n) => (n === 0 ? "reset-mid-body" : n === 1 ? 304 : 204) });
    try {
      const created = await createWebhookEndpoint({ url: receiver.url, events: ["pat.revoked"] }, admin, null);
      if (!created.ok) throw new Error(created.message);
      await revokedPat(`reset-${current().kind}@example.com`);
      await waitFor(
        async () => (await getDb().webhookDelivery.findFirst({ where: { endpointId: created.id } }))?.status === "SUCCEEDED",
        30_000,
        "delivery marked succeeded",
      );
      const attempts = await getDb().webhookAttempt.findMany({ where: { delivery: { endpointId: created.id } }, orderBy: { attempt: "asc" } });
      expect(attempts.map((a) => [a.attempt, a.statusCode])).toEqual([
        [1, null],
        [2, 304],
        [3, 204],
      ]);
      expect(attempts[0]!.error).toMatch(/^HTTP 200, then /);
      expect(attempts[1]!.error).toBe("HTTP 304");
      expect(attempts[2]!.error).toBeNull();
    } finally {
      await receiver.close();
    }
  });

  it("a signing secret no configured key opens is a failed attempt with its reason, retried: the delivery never sits PENDING unscheduled", async () => {
    const created = await createWebhookEndpoint({ url: "http://127.0.0.1:9/never-called", events: ["pat.revoked"] }, admin, null);
    if (!created.ok) throw new Error(created.message);
    // As if the key that sealed it was dropped from TOKEN_ENCRYPTION_KEYS (deliver-webhook.ts: readSecret guards this).
    await getDb().webhookEndpoint.update({ where: { id: created.id }, data: { secretCiphertext: "v1.gone.AAAA.AAAA.AAAA" } });
    await revokedPat(`unreadable-${current().kind}@example.com`);
    await waitFor(async () => (await getDb().webhookAttempt.count({ where: { delivery: { endpointId: created.id } } })) >= 1, 10_000, "a logged attempt");
    const attempt = await getDb().webhookAttempt.findFirstOrThrow({ where: { delivery: { endpointId: created.id } }, orderBy: { attempt: "asc" } });
    expect(attempt.error).toBe("signing secret cannot be decrypted with the configured keys");
    const delivery = await getDb().webhookDelivery.findFirstOrThrow({ where: { endpointId: created.id } });
    expect(delivery.status === "FAILED" || delivery.nextAttemptAt !== null).toBe(true);
    await deleteWebhookEndpoint(created.id, admin, null);
  });

  it("an endpoint failing for 10 days is disabled and the admins are told", async () => {
    const receiver = await startWebhookReceiver({ answer: () => 503 });
    try {
      const adminUser = await createUser({ email: `hooks-admin-${current().kind}@example.com`, role: "ADMIN" });
      const created = await createWebhookEndpoint({ url: receiver.url, events: ["pat.revoked"] }, admin, null);
      if (!created.ok) throw new Error(created.message);
      await getDb().webhookEndpoint.update({ where: { id: created.id }, data: { failingSince: new Date(Date.now() - DISABLE_AFTER_FAILING_MS - 60_000) } });
      await revokedPat(`dying-${current().kind}@example.com`);
      await waitFor(async () => (await getDb().webhookEndpoint.findUnique({ where: { id: created.id } }))?.status === "DISABLED", 10_000, "endpoint disabled");
      const notices = await getDb().notification.findMany({ where: { userId: adminUser.id, kind: "webhook.disabled" } });
      expect(notices).toHaveLength(1);
      expect(await getDb().auditEvent.count({ where: { action: "webhook.disabled" } })).toBeGreaterThanOrEqual(1);
      // Disabled: no more attempts are scheduled.
      const before = receiver.received.length;
      await new Promise((resolve) => setTimeout(resolve, 2500));
      expect(receiver.received.length).toBe(before);
    } finally {
      await receiver.close();
    }
  });

  it("refuses URLs that are not http(s), carry credentials, or point inward (unless allowed)", async () => {
    delete process.env.TESSERA_WEBHOOK_ALLOW_PRIVATE;
    try {
      for (const url of ["http://127.0.0.1:9/x", "http://169.254.169.254/latest/meta-data", "http://[::1]/x", "http://10.1.2.3/", "http://localhost:1/"]) {
        const result = await createWebhookEndpoint({ url, events: ["pat.revoked"] }, admin, null);
        expect(result.ok, url).toBe(false);
      }
    } finally {
      process.env.TESSERA_WEBHOOK_ALLOW_PRIVATE = "1";
    }
    expect(await getDb().webhookEndpoint.count()).toBe(0);
  });
});
