import { beforeAll, expect, it } from "vitest";
import { DELETE, PATCH } from "@/app/api/admin/services/[id]/route";
import { POST as rotate } from "@/app/api/admin/services/[id]/rotate-secret/route";
import { GET as list, POST as create } from "@/app/api/admin/services/route";
import { getDb } from "@/lib/db/client";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { authenticateServiceClient } from "@/lib/service-clients/authenticate-service-client";
import { getServiceClient } from "@/lib/service-clients/get-service-client";
import { listServiceClients } from "@/lib/service-clients/list-service-clients";
import { isClientSecret } from "@/lib/service-clients/service-secrets";
import { callRoute, createSessionCookie, createUser, sameOrigin } from "../helpers/fixtures";
import { describeOnEachDatabase } from "../helpers/test-database";

/*
 * Service clients through the admin API: the secret is shown once and stored only as a hash, rotation
 * keeps the old secret exactly for the overlap, disabling and deleting stop the secret, every change is audited.
 * Mutation checks (each made once, saw red, restored):
 * - lib/service-clients/authenticate-service-client.ts: `row.previousSecretExpiresAt.getTime() > now.getTime()` changed to `>=`
 *   → "overlap honoured to the second" fails (the old secret still works at the expiry instant).
 * - lib/service-clients/authenticate-service-client.ts: `row.status !== "ACTIVE"` check removed → the disabled client authenticates.
 */
describeOnEachDatabase("service clients (admin API)", () => {
  let admin: Record<string, string>;
  let adminId: string;

  beforeAll(async () => {
    const person = await createUser({ role: "ADMIN" });
    adminId = person.id;
    admin = sameOrigin(await createSessionCookie(person.id));
  });

  async function createClient(name: string, permissions: string[] = ["credentials:github:read"]) {
    const response = await callRoute(create, { method: "POST", path: "/api/admin/services", headers: admin, body: { name, permissions } });
    expect(response.status).toBe(201);
    return response.json() as { id: string; clientId: string; clientSecret: string; name: string; permissions: string[]; createdAt: string };
  }

  it("creates a client: tsr_svc_ id, tsr_cs_ secret shown once and stored only as a hash; the list never shows it", async () => {
    const created = await createClient("calendar-sync");
    expect(Object.keys(created).sort()).toEqual(["clientId", "clientSecret", "createdAt", "id", "name", "permissions"]);
    expect(created.clientId).toMatch(/^tsr_svc_[0-9A-Za-z]+$/);
    expect(isClientSecret(created.clientSecret)).toBe(true);
    expect(created.permissions).toEqual(["credentials:github:read"]);

    const row = await getDb().serviceClient.findUniqueOrThrow({ where: { id: created.id } });
    expect(JSON.stringify(row)).not.toContain(created.clientSecret);

    const listed = await callRoute(list, { path: "/api/admin/services", headers: admin });
    expect(listed.text).not.toContain(created.clientSecret);
    const entry = listed.json().services.find((s: { id: string }) => s.id === created.id);
    expect(Object.keys(entry).sort()).toEqual(["clientId", "createdAt", "id", "lastUsedAt", "name", "permissions", "status"]);
    expect(entry.status).toBe("active");

    expect(await authenticateServiceClient(created.clientId, created.clientSecret)).toMatchObject({ id: created.id });
    const events = await getDb().auditEvent.findMany({ where: { action: "service.created" } });
    expect(events.some((e) => (e.detail as { serviceClientId?: string }).serviceClientId === created.id && e.actorId === adminId)).toBe(true);
    expect(JSON.stringify(events)).not.toContain(created.clientSecret);
  });

  it("refuses bad input with 4xx and writes nothing", async () => {
    const before = await getDb().serviceClient.count();
    for (const body of [
      { name: "x", permissions: ["credentials:myspace:read"] },
      { name: "", permissions: ["tokens:introspect"] },
      { name: "y", permissions: [] },
      "not json",
    ]) {
      const response = await callRoute(create, { method: "POST", path: "/api/admin/services", headers: admin, body });
      expect(response.status).toBe(400);
      expect(response.json().error.code).toMatch(/invalid_/);
    }
    await createClient("dupe");
    const again = await callRoute(create, {
      method: "POST",
      path: "/api/admin/services",
      headers: admin,
      body: { name: "dupe", permissions: ["tokens:introspect"] },
    });
    expect(again.status).toBe(409);
    expect(await getDb().serviceClient.count()).toBe(before + 1);
  });

  it("rotation: the old secret stays valid for the overlap, to the second, then stops; overlap 0 stops it at once", async () => {
    const created = await createClient("rotating");
    const path = `/api/admin/services/${created.id}/rotate-secret`;
    const before = Date.now();
    const rotated = await callRoute(rotate, { method: "POST", path, headers: admin, body: { overlapSeconds: 30 }, params: { id: created.id } });
    expect(rotated.status).toBe(200);
    const { clientSecret, previousSecretExpiresAt } = rotated.json();
    expect(isClientSecret(clientSecret)).toBe(true);
    const expiry = new Date(previousSecretExpiresAt).getTime();
    expect(expiry - before).toBeGreaterThanOrEqual(30_000);
    expect(expiry - Date.now()).toBeLessThanOrEqual(30_000);

    expect(await authenticateServiceClient(created.clientId, clientSecret)).not.toBeNull();
    expect(await authenticateServiceClient(created.clientId, created.clientSecret, new Date(expiry - 1000))).not.toBeNull();
    expect(await authenticateServiceClient(created.clientId, created.clientSecret, new Date(expiry))).toBeNull();

    // Default overlap is 24 h.
    const defaulted = await callRoute(rotate, { method: "POST", path, headers: admin, params: { id: created.id } });
    expect(new Date(defaulted.json().previousSecretExpiresAt).getTime() - Date.now()).toBeGreaterThan(24 * 3600_000 - 60_000);
    // Only one previous secret: the first one is gone now, the second one overlaps.
    expect(await authenticateServiceClient(created.clientId, created.clientSecret)).toBeNull();
    expect(await authenticateServiceClient(created.clientId, clientSecret)).not.toBeNull();

    const immediate = await callRoute(rotate, { method: "POST", path, headers: admin, body: { overlapSeconds: 0 }, params: { id: created.id } });
    expect(await authenticateServiceClient(created.clientId, defaulted.json().clientSecret)).toBeNull();
    expect(await authenticateServiceClient(created.clientId, immediate.json().clientSecret)).not.toBeNull();

    const tooLong = await callRoute(rotate, { method: "POST", path, headers: admin, body: { overlapSeconds: 7 * 24 * 3600 + 1 }, params: { id: created.id } });
    expect(tooLong.status).toBe(400);
    expect(await getDb().auditEvent.count({ where: { action: "service.secret_rotated" } })).toBeGreaterThanOrEqual(3);
  });

  it("disable stops the secret, enable restores it; delete stops it for good; unknown ids are 404", async () => {
    const created = await createClient("switchable");
    const path = `/api/admin/services/${created.id}`;
    const disabled = await callRoute(PATCH, { method: "PATCH", path, headers: admin, body: { status: "disabled" }, params: { id: created.id } });
    expect(disabled.status).toBe(200);
    expect(disabled.json().status).toBe("disabled");
    expect(await authenticateServiceClient(created.clientId, created.clientSecret)).toBeNull();

    const enabled = await callRoute(PATCH, {
      method: "PATCH",
      path,
      headers: admin,
      body: { status: "active", permissions: ["credentials:*:read"] },
      params: { id: created.id },
    });
    expect(enabled.json()).toMatchObject({ status: "active", permissions: ["credentials:*:read"] });
    expect(await authenticateServiceClient(created.clientId, created.clientSecret)).not.toBeNull();

    const deleted = await callRoute(DELETE, { method: "DELETE", path, headers: admin, params: { id: created.id } });
    expect(deleted.status).toBe(204);
    expect(await authenticateServiceClient(created.clientId, created.clientSecret)).toBeNull();
    const again = await callRoute(DELETE, { method: "DELETE", path, headers: admin, params: { id: created.id } });
    expect(again.status).toBe(404);
    const patch = await callRoute(PATCH, { method: "PATCH", path, headers: admin, body: { status: "active" }, params: { id: created.id } });
    expect(patch.status).toBe(404);
    expect(await getDb().auditEvent.count({ where: { action: { in: ["service.updated", "service.deleted"] } } })).toBeGreaterThanOrEqual(3);
  });

  it("the detail page's read: one client by id, the same as its row in the list, with only its own successful exchanges; none for an unknown id", async () => {
    const created = await createClient("detail-read");
    const other = await createClient("detail-read-other");
    const exchange = (id: string, outcome: string) =>
      recordAuditEvent({ action: "service.token_exchanged", actor: { type: "service", id }, provider: "github", detail: { serviceClientId: id, outcome } });
    await exchange(created.id, "success");
    await exchange(created.id, "success");
    await exchange(created.id, "denied");
    await exchange(other.id, "success");

    const one = await getServiceClient(created.id);
    expect(one).toMatchObject({ id: created.id, name: "detail-read", exchangesLast24h: 2 });
    expect(one).toEqual((await listServiceClients()).find((service) => service.id === created.id));
    expect(await getServiceClient("svc_does_not_exist")).toBeNull();
  });
});
