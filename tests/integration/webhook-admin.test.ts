import { createServer } from "node:net";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import * as webhookRoute from "@/app/api/admin/webhooks/[id]/route";
import * as testRoute from "@/app/api/admin/webhooks/[id]/test/route";
import { getDb } from "@/lib/db/client";
import { getWebhookDelivery } from "@/lib/webhooks/deliver-webhook";
import { createWebhookEndpoint, updateWebhookEndpoint } from "@/lib/webhooks/manage-webhook-endpoints";
import { sendWebhookTestEvent } from "@/lib/webhooks/send-webhook-test-event";
import { callRoute, createSessionCookie, createUser, sameOrigin } from "../helpers/fixtures";
import { describeOnEachDatabase } from "../helpers/test-database";
import { startWebhookReceiver } from "../helpers/webhook-receiver";

/*
 * Issue 25 §12: an admin sends a test event and sees what happened, edits an endpoint with the same URL checks as a
 * new one, and reads a delivery (what was sent, the status, the start of the answer; never the secret). Every way a
 * receiver can be (fine, slow, down, garbage, failing) is decided: a result in words, no exception, no retry.
 */
const saved = { ...process.env };
beforeAll(() => {
  process.env.TESSERA_WEBHOOK_ALLOW_PRIVATE = "1";
  process.env.TESSERA_WEBHOOK_TIMEOUT_MS = "1500";
});
afterAll(() => {
  for (const key of ["TESSERA_WEBHOOK_ALLOW_PRIVATE", "TESSERA_WEBHOOK_TIMEOUT_MS"]) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
});

/** A loopback port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describeOnEachDatabase("webhook admin: test events, edits, delivery detail", () => {
  let admin: { type: "admin"; id: string };
  beforeAll(async () => {
    admin = { type: "admin", id: (await createUser({ role: "ADMIN" })).id };
  });
  afterEach(async () => {
    await getDb().webhookEndpoint.deleteMany({});
  });

  it("a test event is a real signed delivery: the receiver verifies it, the log shows it, the detail shows payload and answer, never the secret", async () => {
    let secret = "";
    const receiver = await startWebhookReceiver({ secret: () => secret });
    try {
      const created = await createWebhookEndpoint({ url: receiver.url, events: ["pat.revoked"], description: "ops channel" }, admin, null);
      if (!created.ok) throw new Error(created.message);
      secret = created.secret;
      const result = await sendWebhookTestEvent(created.id, admin, "192.0.2.1");
      expect(result).toMatchObject({ ok: true, delivered: true, statusCode: 200, problem: null });
      expect(receiver.received).toHaveLength(1);
      expect(receiver.received[0]!.verified).toBe(true);
      expect(JSON.parse(receiver.received[0]!.body)).toMatchObject({ type: "webhook.test", data: { webhookId: created.id } });

      const detail = await getWebhookDelivery(created.id, result.ok ? result.deliveryId : "");
      expect(detail).toMatchObject({ eventType: "webhook.test", status: "SUCCEEDED", payload: { type: "webhook.test" } });
      expect(detail!.attempts).toEqual([expect.objectContaining({ attempt: 1, statusCode: 200, responseBody: "ok" })]);
      expect(JSON.stringify(detail)).not.toContain(secret);
      const audit = await getDb().auditEvent.findFirst({ where: { action: "webhook.test_sent", actorId: admin.id }, orderBy: { createdAt: "desc" } });
      expect(audit?.detail).toMatchObject({ webhookId: created.id });
      expect(JSON.stringify(audit)).not.toContain(secret);
    } finally {
      await receiver.close();
    }
  });

  it("slow, down, garbage and failing receivers: one attempt each, no retry, the reason in words", async () => {
    const receiver = await startWebhookReceiver({ answer: (n) => (n === 0 ? "hang" : n === 1 ? "garbage" : 500) });
    try {
      const created = await createWebhookEndpoint({ url: receiver.url, events: ["pat.revoked"] }, admin, null);
      if (!created.ok) throw new Error(created.message);
      const slow = await sendWebhookTestEvent(created.id, admin, null);
      expect(slow).toMatchObject({ ok: true, delivered: false, statusCode: null, problem: "No answer within 1.5 s" });
      const garbage = await sendWebhookTestEvent(created.id, admin, null);
      expect(garbage).toMatchObject({ ok: true, delivered: false, statusCode: null });
      expect(garbage.ok && garbage.problem).toMatch(/^[A-Z][a-z]/);
      const failing = await sendWebhookTestEvent(created.id, admin, null);
      expect(failing).toMatchObject({ ok: true, delivered: false, statusCode: 500, problem: "The receiver answered HTTP 500 (the receiver failed)" });
      // A manual attempt is never retried: each test delivery ended FAILED, nothing scheduled.
      const deliveries = await getDb().webhookDelivery.findMany({ where: { endpointId: created.id } });
      expect(deliveries.map((d) => [d.status, d.attempts, d.nextAttemptAt])).toEqual(Array(3).fill(["FAILED", 1, null]));
      expect(receiver.received).toHaveLength(3);

      const down = await updateWebhookEndpoint(created.id, { url: `http://127.0.0.1:${await closedPort()}/hooks`, events: ["pat.revoked"] }, admin, null);
      expect(down.ok).toBe(true);
      expect(await sendWebhookTestEvent(created.id, admin, null)).toMatchObject({
        ok: true,
        delivered: false,
        statusCode: null,
        problem: "Connection refused: nothing is listening at that address",
      });
    } finally {
      await receiver.close();
    }
  });

  it("an edit keeps the secret and gets the same URL checks as a new endpoint; bad input is a 400, an unknown id a 404", async () => {
    let secret = "";
    const receiver = await startWebhookReceiver({ secret: () => secret });
    const cookie = await createSessionCookie(admin.id);
    try {
      const created = await createWebhookEndpoint({ url: "https://hooks.example.com/old", events: ["pat.revoked"] }, admin, null);
      if (!created.ok) throw new Error(created.message);
      secret = created.secret;
      const params = { id: created.id };
      const edited = await callRoute(webhookRoute.PATCH, {
        method: "PATCH",
        path: `/api/admin/webhooks/${created.id}`,
        headers: sameOrigin(cookie),
        params,
        body: { url: receiver.url, events: ["pat.leaked", "pat.revoked"], description: "Security team" },
      });
      expect(edited.status).toBe(200);
      expect(edited.json()).toEqual({
        id: created.id,
        url: receiver.url,
        events: ["pat.leaked", "pat.revoked"],
        description: "Security team",
        status: "active",
      });
      expect(edited.text).not.toContain(secret);
      // The receiver at the new address verifies with the secret it was given at creation.
      const sent = await callRoute(testRoute.POST, { method: "POST", path: `/api/admin/webhooks/${created.id}/test`, headers: sameOrigin(cookie), params });
      expect(sent.status).toBe(200);
      expect(sent.json()).toMatchObject({ delivered: true, statusCode: 200, problem: null });
      expect(receiver.received[0]!.verified).toBe(true);

      const refused = [
        { url: "ftp://hooks.example.com/x", events: ["pat.leaked"] },
        { url: "https://user:pw@hooks.example.com/x", events: ["pat.leaked"] },
        { url: "https://hooks.example.com/x", events: [] },
        { url: "https://hooks.example.com/x", events: ["pat.leaked"], description: "two\nlines" },
        { url: "https://hooks.example.com/x", events: ["pat.leaked"], secret: "mine" },
      ];
      for (const body of refused) {
        const answer = await callRoute(webhookRoute.PATCH, {
          method: "PATCH",
          path: `/api/admin/webhooks/${created.id}`,
          headers: sameOrigin(cookie),
          params,
          body,
        });
        expect(answer.status, JSON.stringify(body)).toBe(400);
        expect(answer.json().error).toBeTruthy();
      }
      delete process.env.TESSERA_WEBHOOK_ALLOW_PRIVATE;
      try {
        const inward = await callRoute(webhookRoute.PATCH, {
          method: "PATCH",
          path: `/api/admin/webhooks/${created.id}`,
          headers: sameOrigin(cookie),
          params,
          body: { url: "http://127.0.0.1:8080/internal", events: ["pat.leaked"] },
        });
        expect(inward.status).toBe(400);
        expect(inward.json().error.code).toBe("invalid_url");
      } finally {
        process.env.TESSERA_WEBHOOK_ALLOW_PRIVATE = "1";
      }
      expect((await getDb().webhookEndpoint.findUnique({ where: { id: created.id } }))!.url).toBe(receiver.url);

      const missing = "whk_" + "0".repeat(24);
      const unknownEdit = await callRoute(webhookRoute.PATCH, {
        method: "PATCH",
        path: `/api/admin/webhooks/${missing}`,
        headers: sameOrigin(cookie),
        params: { id: missing },
        body: { url: "https://hooks.example.com/x", events: ["pat.leaked"] },
      });
      expect(unknownEdit.status).toBe(404);
      const unknownTest = await callRoute(testRoute.POST, {
        method: "POST",
        path: `/api/admin/webhooks/${missing}/test`,
        headers: sameOrigin(cookie),
        params: { id: missing },
      });
      expect(unknownTest.status).toBe(404);

      // Not an admin: as if the endpoint did not exist.
      const user = await createUser();
      const asUser = await callRoute(testRoute.POST, {
        method: "POST",
        path: `/api/admin/webhooks/${created.id}/test`,
        headers: sameOrigin(await createSessionCookie(user.id)),
        params,
      });
      expect([403, 404]).toContain(asUser.status);
      expect(receiver.received).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });
});
