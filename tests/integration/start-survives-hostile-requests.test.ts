import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, describe, expect, it } from "vitest";
import { isBuildCurrent } from "@/lib/runtime/build-fingerprint";
import { AFTER_START_MS, START_TIMEOUT_MS, freePort, spawnStart, waitForHealthy } from "../helpers/spawn-start";
import { generateClientSecret } from "@/lib/service-clients/service-secrets";
import { hangUpAfterSending, rawBytes, rawRequest } from "../helpers/raw-http";

const built = isBuildCurrent();
const dataDir = mkdtempSync(path.join(tmpdir(), "tessera-hostile-"));
const env = { TESSERA_DATA_DIR: dataDir, DATABASE_URL: "", AUTH_SECRET: "", TOKEN_ENCRYPTION_KEYS: "", PAT_HASH_PEPPER: "", DEMO_IDP_PORT: "0" };

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const BAD_PATHS = [
  "/%E0%A4%A",
  "/%",
  "/api/v1/me%E0%A4%A",
  "/api/tokens/%E0%A4%A",
  "/signin?callbackUrl=%E0%A4%A",
  "/api/auth/callback/google?code=%E0%A4%A&state=%",
  "/_next/image?url=%E0%A4%A&w=64&q=75",
  "/admin/users/%zz",
];
const RAW = [
  "GET / HTTP/1.1\r\nHost: x\r\nBad Header Without Colon\r\n\r\n",
  "POST /api/tokens HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nzz\r\nboom\r\n",
  "\x00\x01\x02\xff garbage\r\n\r\n",
  "GET /%E0%A4%A HTTP/1.1\r\nHost: x\r\nCookie: \xff\xfe=%E0%A4%A\r\nAuthorization: Bearer \x7f\r\n\r\n",
];

describe.skipIf(!built)(`npm start under hostile requests${built ? "" : " [skipped: run `npm run build` first]"}`, () => {
  it(
    "keeps serving after malformed URLs, headers and bodies to the demo IdP and the app, and closes the embedded database cleanly on Ctrl-C",
    async () => {
      const app = spawnStart(env, await freePort());
      await waitForHealthy(app);
      const issuer = /demo identity provider at (http:\/\/\S+)/.exec(app.output())?.[1];
      expect(issuer, app.output()).toBeTruthy();
      const alive = async () => {
        expect(app.child.exitCode, app.output()).toBeNull();
        expect((await fetch(`${app.url}/api/health`)).status).toBe(200);
        expect((await fetch(`${issuer}/.well-known/openid-configuration`)).status).toBe(200);
      };

      // The demo IdP runs inside the start process, beside the embedded database. Before, this one
      // request (a URIError in its avatar route) stopped the whole process.
      for (const target of [issuer!, app.url]) {
        for (const p of ["/avatars/%E0%A4%A.svg", "/token%E0%A4%A", "/auth?client_id=%E0%A4%A", ...BAD_PATHS]) {
          for (const method of ["GET", "POST"])
            await rawRequest(target, { method, path: p, body: method === "POST" ? "%E0%A4%A{" : undefined }).catch(() => undefined);
        }
        await rawRequest(target, { path: "/", headers: { "x-huge": "a".repeat(100_000) } }).catch(() => undefined);
        for (const bytes of RAW) await rawBytes(target, Buffer.from(bytes, "latin1"));
        await alive();
      }
      const tokenBodies = ["grant_type=refresh_token&refresh_token=%E0%A4%A", "{not json", "x".repeat(200_000)];
      for (const body of tokenBodies) {
        const answer = await rawRequest(issuer!, {
          method: "POST",
          path: "/token",
          headers: { "content-type": "application/x-www-form-urlencoded", authorization: "Basic %%%" },
          body,
        });
        expect(answer.status).toBeGreaterThanOrEqual(400);
        expect(answer.status).toBeLessThan(500);
      }
      for (const body of ["{not json", "[]", '{"name":"\u0000"}', "x".repeat(100_000)]) {
        const answer = await rawRequest(app.url, { method: "POST", path: "/api/tokens", headers: { "content-type": "application/json" }, body });
        expect(answer.status).toBeGreaterThanOrEqual(400);
        expect(answer.status).toBeLessThan(500);
      }
      await alive();

      // Clients that hang up before their answer. A POST's body is re-streamed by Next, and the
      // "aborted" error of such a request reached no listener: before the listener in
      // lib/runtime/create-app-server.ts (`res.once("close", …)`), this loop stopped the server (exit 1).
      const body = "grant_type=client_credentials";
      const basic = Buffer.from(`tsr_svc_hangup:${generateClientSecret()}`).toString("base64");
      for (let i = 0; i < 20; i++) {
        await hangUpAfterSending(
          app.url,
          `POST /api/oauth/token HTTP/1.1\r\nHost: x\r\nAuthorization: Basic ${basic}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(app.output()).not.toContain("uncaught exception");
      await alive();

      app.child.kill("SIGINT");
      expect(await app.exited).toBe(130);
      expect(app.output()).toContain("embedded database closed");

      // The data directory opens again: closed cleanly, with the applied migrations in it.
      const db = await PGlite.create({ dataDir: path.join(dataDir, "pglite") });
      try {
        const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "_prisma_migrations"`);
        expect(rows[0]!.n).toBeGreaterThan(0);
      } finally {
        await db.close();
      }
      // One start, then some 150 requests and a clean stop: a hang fails, a loaded machine does not.
    },
    START_TIMEOUT_MS + AFTER_START_MS,
  );
});
