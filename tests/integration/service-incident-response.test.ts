import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { NextRequest } from "next/server";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import * as adminServiceRoute from "@/app/api/admin/services/[id]/route";
import * as rotateSecretRoute from "@/app/api/admin/services/[id]/rotate-secret/route";
import { POST as introspectRoute } from "@/app/api/oauth/introspect/route";
import { POST as tokenRoute } from "@/app/api/oauth/token/route";
import * as proxyRoute from "@/app/api/proxy/[provider]/[...path]/route";
import { getDb } from "@/lib/db/client";
import { createServiceClient } from "@/lib/service-clients/create-service-client";
import { issueServiceToken, ServiceClientChangedError } from "@/lib/service-clients/issue-service-token";
import { generateClientSecret, generateServiceToken, hashServiceSecret } from "@/lib/service-clients/service-secrets";
import { connectedUser } from "../helpers/connected-user";
import { startDemoIdpForFile } from "../helpers/demo-idp";
import { TEST_ORIGIN, callRoute, createSessionCookie, createUser, sameOrigin } from "../helpers/fixtures";
import { serveRouteHandlers } from "../helpers/serve-route-handlers";
import { describeOnEachDatabase } from "../helpers/test-database";

/*
 * Incident response reaches tokens already issued (issue 20 §5): a rotation without overlap and a disable
 * end every `tsr_sat_` token issued before them, at once, in the proxy, introspection and a second process;
 * re-enabling a client never revives one.
 * Mutation checks (each made once, saw red, restored):
 * - lib/service-clients/rotate-service-secret.ts: `overlapSeconds === 0 ? await revokeServiceTokens(…) : 0` made `0`
 *   → "rotate-secret with overlap 0" fails (the old token still proxies and introspects active).
 * - lib/service-clients/update-service-client.ts: the `revokeServiceTokens` call for "disabled" removed → "disable then
 *   re-enable" fails (the old token works again after re-enabling) and so does the second-process test.
 * - lib/service-clients/issue-service-token.ts: the `"secretHash" = … OR ("previousSecretHash" = …)` condition removed
 *   → "a token cannot be minted with a secret rotated out…" fails (a token is issued for the rotated-out secret).
 * - lib/service-clients/verify-service-token.ts: `|| row.serviceClient.status !== "ACTIVE"` removed → "a token row written
 *   for a disabled client … is refused" fails.
 * - lib/service-clients/issue-service-token.ts: `FOR SHARE` removed → the concurrent-rotation test fails on the
 *   PostgreSQL server (the embedded database serialises transactions, so it passes there either way).
 */

type Service = { id: string; clientId: string; secret: string };

describeOnEachDatabase("service incident response", (current) => {
  const idp = startDemoIdpForFile();
  let server: { url: string; close(): Promise<void> };
  let adminId: string;
  let adminCookie: string;
  let inspector: Service;

  beforeAll(async () => {
    server = await serveRouteHandlers({ "POST /api/oauth/token": tokenRoute, "POST /api/oauth/introspect": introspectRoute });
    adminId = (await createUser({ role: "ADMIN" })).id;
    adminCookie = await createSessionCookie(adminId);
    inspector = await newService(["tokens:introspect"]);
  });
  afterAll(async () => server?.close());

  async function newService(permissions: string[], proxyAllow: string[] = []): Promise<Service> {
    const created = await createServiceClient({ name: `incident-${Math.random()}`, permissions, proxyAllow }, { type: "admin", id: adminId }, null);
    if (!created.ok) throw new Error(created.message);
    return { id: created.view.id, clientId: created.view.clientId, secret: created.clientSecret };
  }

  async function post(path: string, form: Record<string, string>, creds: { clientId: string; secret: string }) {
    const authorization = `Basic ${Buffer.from(`${creds.clientId}:${creds.secret}`).toString("base64")}`;
    const response = await fetch(server.url + path, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization },
      body: new URLSearchParams(form),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async function mint(service: Service, secret = service.secret): Promise<string> {
    const issued = await post("/api/oauth/token", { grant_type: "client_credentials" }, { clientId: service.clientId, secret });
    expect(issued.status).toBe(200);
    return issued.body.access_token as string;
  }

  const introspect = async (token: string) => (await post("/api/oauth/introspect", { token }, inspector)).body;

  async function proxyStatus(token: string, userId: string): Promise<number> {
    const headers = new Headers({ authorization: `Bearer ${token}`, "tessera-on-behalf-of": userId, "x-forwarded-for": "203.0.113.20" });
    const request = new NextRequest(new URL("/api/proxy/google/me", TEST_ORIGIN), { method: "GET", headers });
    const response = await proxyRoute.GET(request, { params: Promise.resolve({ provider: "google", path: ["me"] }) });
    await response.arrayBuffer();
    return response.status;
  }

  const exchange = (service: Service, secret: string, userId: string) =>
    post(
      "/api/oauth/token",
      {
        grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
        subject_token: userId,
        subject_token_type: "urn:tessera:params:oauth:token-type:user-id",
        audience: "google",
      },
      { clientId: service.clientId, secret },
    );

  const rotate = async (service: Service, overlapSeconds: number) => {
    const response = await callRoute(rotateSecretRoute.POST, {
      method: "POST",
      path: `/api/admin/services/${service.id}/rotate-secret`,
      headers: sameOrigin(adminCookie),
      params: { id: service.id },
      body: { overlapSeconds },
    });
    expect(response.status).toBe(200);
    return response.json().clientSecret as string;
  };

  const setStatus = async (service: Service, status: "active" | "disabled") => {
    const response = await callRoute(adminServiceRoute.PATCH, {
      method: "PATCH",
      path: `/api/admin/services/${service.id}`,
      headers: sameOrigin(adminCookie),
      params: { id: service.id },
      body: { status },
    });
    expect(response.status).toBe(200);
  };

  const lastAudit = (action: string, serviceId: string) =>
    getDb().auditEvent.findFirstOrThrow({ where: { action, detail: { path: ["serviceClientId"], equals: serviceId } }, orderBy: { createdAt: "desc" } });

  it("rotate-secret with overlap 0: tokens minted before it are refused at once by the exchange, the proxy and introspection", async () => {
    const { user } = await connectedUser(idp(), "google");
    const service = await newService(["proxy:google", "credentials:google:read"], ["google:/me"]);
    const [before, alsoBefore] = [await mint(service), await mint(service)];
    expect(await proxyStatus(before, user.id)).toBe(200);
    expect(await introspect(before)).toMatchObject({ active: true });
    expect((await exchange(service, service.secret, user.id)).status).toBe(200);

    const newSecret = await rotate(service, 0);

    expect(await proxyStatus(before, user.id)).toBe(401);
    expect(await proxyStatus(alsoBefore, user.id)).toBe(401);
    expect(await introspect(before)).toEqual({ active: false });
    expect(await exchange(service, service.secret, user.id)).toMatchObject({ status: 401, body: { error: "invalid_client" } });
    expect((await post("/api/oauth/token", { grant_type: "client_credentials" }, { clientId: service.clientId, secret: service.secret })).status).toBe(401);
    // The new secret works, and so does a token minted with it.
    expect((await exchange(service, newSecret, user.id)).status).toBe(200);
    const after = await mint(service, newSecret);
    expect(await proxyStatus(after, user.id)).toBe(200);
    expect(await introspect(after)).toMatchObject({ active: true });

    const event = await lastAudit("service.secret_rotated", service.id);
    expect(event.detail).toMatchObject({ overlapSeconds: 0, revokedSats: 2 });
    expect(JSON.stringify(event)).not.toContain(before);
  });

  it("rotate-secret with an overlap keeps issued tokens to their own expiry (documented), and audits 0 revoked", async () => {
    const service = await newService(["tokens:introspect"]);
    const before = await mint(service);
    const newSecret = await rotate(service, 3600);
    expect(await introspect(before)).toMatchObject({ active: true });
    expect(await mint(service)).toMatch(/^tsr_sat_/); // the old secret still mints during the overlap
    expect(await mint(service, newSecret)).toMatch(/^tsr_sat_/);
    expect((await lastAudit("service.secret_rotated", service.id)).detail).toMatchObject({ overlapSeconds: 3600, revokedSats: 0 });
  });

  it("disable then re-enable: old tokens stay dead, new ones work; the count is audited", async () => {
    const { user } = await connectedUser(idp(), "google");
    const service = await newService(["proxy:google"], ["google:/me"]);
    const old = await mint(service);
    expect(await proxyStatus(old, user.id)).toBe(200);

    await setStatus(service, "disabled");
    expect(await proxyStatus(old, user.id)).toBe(401);
    expect(await introspect(old)).toEqual({ active: false });
    expect((await post("/api/oauth/token", { grant_type: "client_credentials" }, service)).status).toBe(401);
    expect((await lastAudit("service.updated", service.id)).detail).toMatchObject({ status: "disabled", revokedSats: 1 });

    await setStatus(service, "active");
    expect(await proxyStatus(old, user.id)).toBe(401);
    expect(await introspect(old)).toEqual({ active: false });
    const fresh = await mint(service);
    expect(await proxyStatus(fresh, user.id)).toBe(200);
    expect(await introspect(fresh)).toMatchObject({ active: true });
    expect((await lastAudit("service.updated", service.id)).detail).not.toHaveProperty("revokedSats");
  });

  it("a second process that accepted a token refuses it right after the rotation or disable (nothing cached)", async () => {
    const child = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "tests/helpers/service-token-worker.ts"], {
      env: { ...process.env, WORKER_DATABASE_URL: current().url },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let err = "";
    const ready = new Promise<void>((resolve, reject) => {
      child.stderr.on("data", (chunk) => {
        err += chunk;
        if (err.includes("ready\n")) resolve();
      });
      child.on("exit", (code) => reject(new Error(`worker exited ${code}: ${err}`)));
    });
    const answers = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const check = async (token: string) => {
      child.stdin.write(`${token}\n`);
      const next = await answers.next();
      if (next.done) throw new Error(`worker ended: ${err}`);
      return JSON.parse(next.value) as { verified: boolean; active: boolean };
    };
    try {
      await ready;
      const rotated = await newService(["tokens:introspect"]);
      const disabled = await newService(["tokens:introspect"]);
      const [a, b] = [await mint(rotated), await mint(disabled)];
      expect(await check(a)).toEqual({ verified: true, active: true });
      expect(await check(b)).toEqual({ verified: true, active: true });

      await rotate(rotated, 0);
      expect(await check(a)).toEqual({ verified: false, active: false });

      await setStatus(disabled, "disabled");
      expect(await check(b)).toEqual({ verified: false, active: false });
      await setStatus(disabled, "active");
      expect(await check(b)).toEqual({ verified: false, active: false });
    } finally {
      child.stdin.end();
      if (child.exitCode === null) child.kill();
    }
  });

  it("a token cannot be minted with a secret rotated out, or for a disabled client, after authentication passed", async () => {
    const service = await newService(["tokens:introspect"]);
    // What the token endpoint does when the rotation or disable commits between its authentication and the insert.
    await rotate(service, 0);
    await expect(issueServiceToken(service.id, ["tokens:introspect"], { presentedSecret: service.secret })).rejects.toBeInstanceOf(ServiceClientChangedError);
    const other = await newService(["tokens:introspect"]);
    await setStatus(other, "disabled");
    await expect(issueServiceToken(other.id, ["tokens:introspect"], { presentedSecret: other.secret })).rejects.toBeInstanceOf(ServiceClientChangedError);
    expect(await getDb().serviceAccessToken.count({ where: { serviceClientId: { in: [service.id, other.id] } } })).toBe(0);
  });

  it("a token row written for a disabled client (an older instance during a rolling deploy) is refused while it is disabled", async () => {
    const service = await newService(["tokens:introspect"]);
    await setStatus(service, "disabled");
    // What the previous release's issueServiceToken did: a plain insert, no check of the client.
    const raw = generateServiceToken();
    await getDb().serviceAccessToken.create({
      data: { serviceClientId: service.id, tokenHash: hashServiceSecret(raw), scopes: ["tokens:introspect"], expiresAt: new Date(Date.now() + 600_000) },
    });
    expect(await introspect(raw)).toEqual({ active: false });
  });

  it("a token minted while a rotation without overlap is committing is either refused or revoked by it", async () => {
    const service = await newService(["tokens:introspect"]);
    // The rotation's own statements, held open on another connection: new secret, then revoke, not yet committed.
    const rotation = new pg.Client({ connectionString: current().url });
    await rotation.connect();
    try {
      await rotation.query("BEGIN");
      await rotation.query(
        `UPDATE "ServiceClient" SET "previousSecretHash" = "secretHash", "secretHash" = $2, "previousSecretExpiresAt" = (now() AT TIME ZONE 'UTC') WHERE id = $1`,
        [service.id, hashServiceSecret(generateClientSecret())],
      );
      await rotation.query(`UPDATE "ServiceAccessToken" SET "revokedAt" = (now() AT TIME ZONE 'UTC') WHERE "serviceClientId" = $1 AND "revokedAt" IS NULL`, [
        service.id,
      ]);
      const minting = issueServiceToken(service.id, ["tokens:introspect"], { presentedSecret: service.secret }).then(
        (issued) => issued.token,
        (error: unknown) => error,
      );
      // Give the mint every chance to slip in before the commit (it must wait for the row instead).
      await new Promise((resolve) => setTimeout(resolve, 300));
      await rotation.query("COMMIT");
      const outcome = await minting;
      if (typeof outcome === "string") expect(await introspect(outcome)).toEqual({ active: false });
      else expect(outcome).toBeInstanceOf(ServiceClientChangedError);
    } finally {
      await rotation.end();
    }
  });
});
