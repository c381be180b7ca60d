import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { closeDatabase, connectDatabase } from "@/lib/db/client";
import { storeSignInTokens } from "@/lib/provider-tokens/store-sign-in-tokens";
import { createServiceClient } from "@/lib/service-clients/create-service-client";
import { isBuildCurrent } from "@/lib/runtime/build-fingerprint";
import { createTokenAsUser, createUser } from "../helpers/fixtures";
import { AFTER_START_MS, START_TIMEOUT_MS, freePort, spawnStart, waitForHealthy } from "../helpers/spawn-start";

/*
 * SIGTERM to `npm start` during a burst: every request the server accepted gets a complete answer,
 * then the pool and the embedded database close and the process exits 0. Requests sent after the
 * signal may be refused (connection refused), never cut off half-way.
 *
 * Guarded lines: scripts/serve.ts `await requests.drain(graceSeconds * 1000)` (before this change
 * serve.ts called server.closeAllConnections() at once: the accepted requests got "socket hang up"),
 * and scripts/start.ts `process.on("SIGTERM", () => void stop(0))` (was 143).
 */

const built = isBuildCurrent();
const dataDir = mkdtempSync(path.join(tmpdir(), "tessera-drain-"));
// The same keys as this test process (vitest.config.ts), so rows written here are readable by the app.
const env = {
  TESSERA_DATA_DIR: dataDir,
  DATABASE_URL: "",
  TRUSTED_PROXY_HOPS: "",
  AUTH_SECRET: process.env.AUTH_SECRET!,
  TOKEN_ENCRYPTION_KEYS: process.env.TOKEN_ENCRYPTION_KEYS!,
  PAT_HASH_PEPPER: process.env.PAT_HASH_PEPPER!,
  SHUTDOWN_GRACE_SECONDS: "20",
};

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

type Outcome = { kind: "answered"; status: number; body: string } | { kind: "refused" } | { kind: "broken"; error: string };
type Sent = { connected: Promise<void>; outcome: Promise<Outcome> };

/** One request on its own connection: answered completely, refused (never accepted), or broken. */
function send(url: string, method: string, authorization: string, form?: Record<string, string>): Sent {
  let connected!: () => void;
  const connectedPromise = new Promise<void>((resolve) => (connected = resolve));
  const outcome = new Promise<Outcome>((resolve) => {
    const body = form ? new URLSearchParams(form).toString() : undefined;
    const headers: Record<string, string> = body
      ? { authorization, "content-type": "application/x-www-form-urlencoded", "content-length": String(Buffer.byteLength(body)) }
      : { authorization };
    const req = request(url, { method, agent: false, headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ kind: "answered", status: res.statusCode ?? 0, body }));
      res.on("error", (error) => resolve({ kind: "broken", error: error.message }));
    });
    req.on("error", (error: NodeJS.ErrnoException) =>
      resolve(error.code === "ECONNREFUSED" ? { kind: "refused" } : { kind: "broken", error: `${error.code ?? ""} ${error.message}` }),
    );
    req.on("socket", (socket) => socket.once("connect", connected));
    req.end(body);
  });
  void outcome.then(connected);
  return { connected: connectedPromise, outcome };
}

describe.skipIf(!built)(`npm start stops gracefully on SIGTERM${built ? "" : " [skipped: run `npm run build` first]"}`, () => {
  it(
    "answers every accepted PAT call and token handout in a burst, closes the pool and the database, exits 0",
    async () => {
      const app = spawnStart(env, await freePort());
      await waitForHealthy(app);
      const port = /PGlite\) on 127\.0\.0\.1:(\d+)/.exec(app.output())![1];

      await connectDatabase(`postgresql://postgres@127.0.0.1:${port}/postgres`, { poolMax: 1 });
      const user = await createUser({ email: "drain@example.com" });
      const created = await createTokenAsUser({ id: user.id, role: "USER" }, { name: "drain", scopes: ["profile:read"], expiresInDays: 1 });
      if (!created.ok) throw new Error(created.message);
      await storeSignInTokens(user.id, "github", { accessToken: "drain-github-access-token" });
      const service = await createServiceClient({ name: "drain", permissions: ["credentials:github:read"] }, { type: "admin", id: "test-admin" }, null);
      if (!service.ok) throw new Error(service.message);
      await closeDatabase();

      const pat = () => send(`${app.url}/api/v1/me`, "GET", `Bearer ${created.token}`);
      // The token exchange: what a service calls for a user's provider access token.
      const handout = () =>
        send(`${app.url}/api/oauth/token`, "POST", `Basic ${Buffer.from(`${service.view.clientId}:${service.clientSecret}`).toString("base64")}`, {
          grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
          subject_token: user.id,
          subject_token_type: "urn:tessera:params:oauth:token-type:user-id",
          audience: "github",
        });
      expect((await pat().outcome).kind).toBe("answered");
      expect((await handout().outcome).kind).toBe("answered");
      // The app server's request metrics, labelled by route pattern (the served ids never appear).
      const metrics = await (await fetch(`${app.url}/api/metrics`)).text();
      expect(metrics).toMatch(/tessera_http_requests_total\{route="\/api\/v1\/me",method="GET",status="200"\} [1-9]/);
      expect(metrics).toContain('tessera_http_requests_total{route="/api/oauth/token",method="POST",status="200"}');
      expect(metrics).not.toContain(user.id);

      const burst = [...Array.from({ length: 30 }, pat), handout(), ...Array.from({ length: 30 }, pat), handout()];
      // Every connection of the burst is established (accepted by the server's socket), then the signal
      // goes out while the burst is being served (PGlite answers one statement at a time).
      await Promise.all(burst.map((sent) => sent.connected));
      app.child.kill("SIGTERM");
      const afterSignal = await new Promise<Sent[]>((resolve) => setTimeout(() => resolve([pat(), handout()]), 50));
      const outcomes = await Promise.all([...burst, ...afterSignal].map((sent) => sent.outcome));

      expect(outcomes.filter((outcome) => outcome.kind === "broken")).toEqual([]);
      // The whole burst was accepted before the signal, so all of it was answered, completely.
      for (const outcome of outcomes.slice(0, burst.length)) {
        expect(outcome.kind).toBe("answered");
        if (outcome.kind !== "answered") continue;
        expect(outcome.status).toBe(200);
        const body = JSON.parse(outcome.body) as Record<string, unknown>;
        expect(body).toHaveProperty(outcome.body.includes("access_token") ? "access_token" : "email");
      }
      expect(outcomes.slice(burst.length).every((outcome) => outcome.kind === "refused" || (outcome.kind === "answered" && outcome.status === 200))).toBe(true);

      expect(await app.exited).toBe(0);
      expect(app.output()).toMatch(/request\(s\) in flight finished/);
      expect(app.output()).toContain("database pool closed");
      expect(app.output()).toContain("embedded database closed");
      // One start, a burst of 62 requests and a drained stop (limits: tests/helpers/spawn-start.ts).
    },
    START_TIMEOUT_MS + AFTER_START_MS,
  );
});
