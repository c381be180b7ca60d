import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { revokeAtProvider } from "@/lib/provider-tokens/revoke-at-provider";
import type { ProviderClient } from "@/lib/providers/catalog";

/*
 * Revocation kind "bearer" (Slack's auth.revoke, Dropbox's token/revoke): the access token authenticates its own
 * revocation. An expired one (401) is traded for a fresh one first, so the grant does not outlive a disconnect; a
 * refresh token the provider refuses (400) means nothing of the grant works any more; anything else is a failure.
 * Mutation check (made once, saw red, restored): revokeWithBearer returning "failed" on the first 401 without the
 * refresh → "an expired access token is refreshed first" failed.
 */
let server: Server;
let base = "";
const seen: string[] = [];
let refreshAnswer = 200;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? ""} ${Buffer.concat(chunks).toString()}`);
      if (req.url === "/token") {
        res.writeHead(refreshAnswer, { "content-type": "application/json" });
        return res.end(JSON.stringify(refreshAnswer === 200 ? { access_token: "fresh-access", token_type: "Bearer" } : { error: "invalid_grant" }));
      }
      const live = req.headers.authorization === "Bearer fresh-access" || req.headers.authorization === "Bearer live-access";
      res.writeHead(live ? 200 : 401, { "content-type": "application/json" }).end(JSON.stringify({ ok: live }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const client = (): ProviderClient => ({
  id: "slack",
  clientId: "cid",
  clientSecret: "csecret",
  tokenUrl: `${base}/token`,
  clientAuth: "client_secret_post",
  revocation: { kind: "bearer", url: `${base}/revoke` },
});

it("a live access token revokes itself", async () => {
  seen.length = 0;
  expect(await revokeAtProvider(client(), { accessToken: "live-access", refreshToken: "rt" })).toEqual({ status: "revoked" });
  expect(seen).toEqual([`POST /revoke Bearer live-access `]);
});

it("an expired access token is refreshed first, then the fresh one revokes the grant", async () => {
  seen.length = 0;
  refreshAnswer = 200;
  expect(await revokeAtProvider(client(), { accessToken: "expired-access", refreshToken: "rt" })).toEqual({ status: "revoked" });
  expect(seen.map((line) => line.split(" ").slice(0, 3).join(" "))).toEqual(["POST /revoke Bearer", "POST /token ", "POST /revoke Bearer"]);
  expect(seen[2]).toContain("Bearer fresh-access");
});

it("a refused refresh token means the grant is dead already; a provider error is a failure to retry", async () => {
  refreshAnswer = 400;
  expect(await revokeAtProvider(client(), { accessToken: "expired-access", refreshToken: "rt" })).toEqual({ status: "revoked" });
  refreshAnswer = 503;
  expect(await revokeAtProvider(client(), { accessToken: null, refreshToken: "rt" })).toEqual({
    status: "failed",
    reason: "provider answered 503 to the refresh before revocation",
  });
  expect(await revokeAtProvider(client(), { accessToken: null, refreshToken: null })).toEqual({ status: "nothing_to_revoke" });
});
