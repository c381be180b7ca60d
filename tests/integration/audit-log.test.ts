import { expect, it } from "vitest";
import { listAuditEvents } from "@/lib/admin/list-audit-events";
import { listSecurityLog, SECURITY_LOG_PAGE_SIZE } from "@/lib/audit/list-security-log";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { createServiceClient } from "@/lib/service-clients/create-service-client";
import { createUser } from "../helpers/fixtures";
import { describeOnEachDatabase } from "../helpers/test-database";

/*
 * Issue 25: the audit log in words. The admin's log names people, services and applications (never their ids) and
 * filters by a person's email; a person's own security log shows their events only, whatever they ask for.
 */
describeOnEachDatabase("audit log in words", () => {
  it("the admin log names the actor, the subject and the service, and filters by a person's email (either role)", async () => {
    const admin = await createUser({ role: "ADMIN", name: "Ada Admin", email: `ada-${Math.random().toString(36).slice(2, 8)}@example.com` });
    const alice = await createUser({ name: "Alice Example", email: `Alice-${Math.random().toString(36).slice(2, 8)}@Example.com` });
    const created = await createServiceClient(
      { name: `calendar-sync-${Math.random().toString(36).slice(2, 8)}`, permissions: ["credentials:github:read"] },
      { type: "admin", id: admin.id },
      null,
    );
    if (!created.ok) throw new Error(created.message);
    await recordAuditEvent({
      action: "pat.created",
      actor: { type: "user", id: alice.id },
      subjectUserId: alice.id,
      tokenNames: ["deploy script"],
      ip: "192.0.2.7",
    });
    await recordAuditEvent({ action: "admin.revoke_all", actor: { type: "admin", id: admin.id }, subjectUserId: alice.id, detail: { committed: true } });
    await recordAuditEvent({
      action: "service.token_exchanged",
      actor: { type: "service", id: created.view.id },
      subjectUserId: alice.id,
      provider: "github",
      detail: { serviceClientId: created.view.id },
    });

    const { events, person } = await listAuditEvents({ person: alice.email!.toLowerCase() });
    expect(person?.id).toBe(alice.id);
    expect(events.map((e) => e.actionLabel)).toEqual(["Service obtained a provider token", "All credentials revoked by an admin", "Token created"]);
    const [exchange, revokeAll, patCreated] = events;
    expect(exchange!.actor).toMatchObject({ kind: "service", label: created.view.name });
    expect(exchange!.provider).toBe("GitHub");
    expect(revokeAll!.actor).toMatchObject({ kind: "user", label: "Ada Admin", secondary: admin.email });
    expect(revokeAll!.subject).toMatchObject({ label: "Alice Example", secondary: alice.email });
    expect(patCreated!.tokenNames).toEqual(["deploy script"]);
    // No id where a person reads: names and emails only (ids stay in the link targets).
    const shown = events.map((e) => [e.actionLabel, e.actor.label, e.actor.secondary, e.subject?.label, e.subject?.secondary, e.target?.label].join(" "));
    for (const id of [admin.id, alice.id, created.view.id]) expect(shown.join(" ")).not.toContain(id);

    // The admin as actor: their revoke-all shows under their address too; the service's creation is theirs.
    const byAdmin = await listAuditEvents({ person: admin.email! });
    expect(byAdmin.events.map((e) => e.action).sort()).toEqual(["admin.revoke_all", "service.created"]);
    expect(byAdmin.events.find((e) => e.action === "service.created")!.target).toMatchObject({ kind: "service", label: created.view.name });

    // Nobody has this address: nothing, and the page says so (not every event).
    expect(await listAuditEvents({ person: "nobody-here@example.com" })).toEqual({ events: [], nextCursor: null, person: null });
    // Person and action together.
    expect((await listAuditEvents({ person: alice.email!, action: "pat.created" })).events.map((e) => e.action)).toEqual(["pat.created"]);
  });

  it("a person's security log holds their own events only: never another person's, whatever cursor or kind they send", async () => {
    const admin = await createUser({ role: "ADMIN", name: "Root Admin" });
    const alice = await createUser({ name: "Alice" });
    const bob = await createUser({ name: "Bob" });
    await recordAuditEvent({ action: "pat.created", actor: { type: "user", id: alice.id }, subjectUserId: alice.id, tokenNames: ["alice cli"] });
    await recordAuditEvent({ action: "connection.disconnected", actor: { type: "user", id: alice.id }, subjectUserId: alice.id, provider: "google" });
    await recordAuditEvent({ action: "admin.revoke_all", actor: { type: "admin", id: admin.id }, subjectUserId: alice.id, detail: { committed: true } });
    await recordAuditEvent({ action: "pat.created", actor: { type: "user", id: bob.id }, subjectUserId: bob.id, tokenNames: ["bob secret project"] });
    const bobEvent = (await listSecurityLog(bob.id, {})).events[0]!;

    const alices = await listSecurityLog(alice.id, {});
    expect(alices.events.map((e) => e.actionLabel)).toEqual(["All credentials revoked by an admin", "Account disconnected", "Token created"]);
    expect(JSON.stringify(alices)).not.toContain("bob secret project");
    // The admin who acted is not named to the person.
    expect(alices.events[0]!.actor).toEqual({ kind: "user", label: "An administrator" });
    expect(JSON.stringify(alices)).not.toContain(admin.email!);
    expect(alices.events[1]!.actor.id).toBe(alice.id);

    // Filter by kind.
    expect((await listSecurityLog(alice.id, { kind: "tokens" })).events.map((e) => e.action)).toEqual(["pat.created"]);
    expect((await listSecurityLog(alice.id, { kind: "connections" })).events.map((e) => e.action)).toEqual(["connection.disconnected"]);
    expect((await listSecurityLog(alice.id, { kind: "webhooks" })).events).toEqual([]);

    // Bob's event id as a cursor: ignored (Alice's first page), never a page of Bob's.
    const withBobCursor = await listSecurityLog(alice.id, { cursor: bobEvent.id });
    expect(withBobCursor.events.map((e) => e.id)).toEqual(alices.events.map((e) => e.id));

    // Bob sees only Bob's.
    expect((await listSecurityLog(bob.id, {})).events.map((e) => e.tokenNames)).toEqual([["bob secret project"]]);
  });

  it("the security log pages through a long history without repeating or skipping an event", async () => {
    const carol = await createUser();
    const total = SECURITY_LOG_PAGE_SIZE + 5;
    for (let i = 0; i < total; i += 1)
      await recordAuditEvent({ action: "pat.created", actor: { type: "user", id: carol.id }, subjectUserId: carol.id, tokenNames: [`token ${i}`] });
    const first = await listSecurityLog(carol.id, {});
    expect(first.events).toHaveLength(SECURITY_LOG_PAGE_SIZE);
    expect(first.nextCursor).not.toBeNull();
    const second = await listSecurityLog(carol.id, { cursor: first.nextCursor! });
    expect(second.nextCursor).toBeNull();
    const names = [...first.events, ...second.events].map((e) => e.tokenNames[0]);
    expect(new Set(names).size).toBe(total);
  });
});
