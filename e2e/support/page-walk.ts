import { expect, type APIRequestContext } from "@playwright/test";
import { createServiceClientAsAdmin, plantUser, withAppDatabase } from "./app";
import { createPat, recordTestTokens } from "./issued-tokens";

/*
 * Every page a signed-out person, a user and an admin can reach, and the data that fills them (issue 25): the
 * phone walk (e2e/responsive.spec.ts) and the accessibility walk (e2e/accessibility.spec.ts) visit the same pages.
 */
export const SIGNED_OUT_PATHS = ["/", "/signin", "/docs"];

export const USER_PATHS = [
  "/",
  "/settings/tokens",
  "/settings/sessions",
  "/settings/connections",
  "/settings/applications",
  "/settings/applications/authorized",
  "/settings/security",
  "/docs",
  "/device",
];

export type Walker = { sessionToken: string; paths: string[] };

/** A user with tokens (one reported leaked), an application, a long scope URL and a service that used their Google token. */
export async function userWithData(request: APIRequestContext, baseURL: string, label = "walk-user"): Promise<Walker> {
  const user = await plantUser(label);
  const headers = { cookie: user.cookie, origin: baseURL, "sec-fetch-site": "same-origin" };
  await createPat(request, headers, { name: "nightly deploy script for the calendar sync", scopes: ["profile:read", "tokens:write"], expiresInDays: 30 });
  const leaked = await createPat(request, headers, { name: "pasted in a public gist", scopes: ["profile:read"], expiresInDays: 7 });
  expect((await request.post("/api/credentials/report-leak", { data: { tokens: [leaked] } })).status()).toBe(202);
  const app = await request.post("/api/applications", {
    headers,
    data: { name: "Walk test calendar dashboard", redirectUris: ["https://calendar-dashboard.example.com/oauth/callback/tessera"], confidential: true },
  });
  expect(app.status()).toBe(201);
  recordTestTokens(((await app.json()) as { clientSecret?: string }).clientSecret ?? "");
  // A long scope URL, and a service that obtained the token: the connections card's widest content.
  await withAppDatabase((db) =>
    db.query(`UPDATE "ProviderConnection" SET scopes = $2 WHERE "userId" = $1 AND provider = 'google'`, [
      user.userId,
      ["openid", "email", "https://www.googleapis.com/auth/calendar.readonly", "https://www.googleapis.com/auth/drive.metadata.readonly"],
    ]),
  );
  const service = await createServiceClientAsAdmin(request, baseURL, ["credentials:google:read"]);
  expect((await service.exchange(user.userId, "google")).status()).toBe(200);
  // The token's detail page (issue 25), with a long description and a used token's addresses.
  const deploy = await withAppDatabase(async (db) => {
    const { rows } = await db.query<{ id: string }>(
      `UPDATE "PersonalAccessToken" SET description = $2, "recentClients" = $3::jsonb, "lastUsedAt" = now(), "lastUsedIp" = '2001:db8:85a3::8a2e:370:7334'
       WHERE "userId" = $1 AND name = 'nightly deploy script for the calendar sync' RETURNING id`,
      [
        user.userId,
        "Runs every night on the build server and deploys the calendar synchronisation to production; ask the platform team before revoking it.",
        JSON.stringify([
          { ip: "2001:db8:85a3::8a2e:370:7334", at: new Date().toISOString() },
          { ip: "203.0.113.7", at: new Date(Date.now() - 3600_000).toISOString() },
        ]),
      ],
    );
    return rows[0]!.id;
  });
  return { sessionToken: user.sessionToken, paths: [...USER_PATHS, `/settings/tokens/${deploy}`] };
}

/** A user who has just arrived: no connected account, no token, no application (every list shows its empty state). */
export async function userWithoutData(label = "walk-empty"): Promise<Walker> {
  const user = await plantUser(label, "USER", { providers: {} });
  return { sessionToken: user.sessionToken, paths: USER_PATHS.filter((path) => path !== "/docs") };
}

/** An admin with a service, an application, a webhook and a token, and every admin page (lists filtered to nothing too). */
export async function adminWithData(request: APIRequestContext, baseURL: string, label = "walk-admin"): Promise<Walker> {
  const admin = await plantUser(label, "ADMIN");
  const user = await plantUser(`${label}-subject`);
  const headers = { cookie: admin.cookie, origin: baseURL, "sec-fetch-site": "same-origin" };
  const created = await request.post("/api/admin/services", {
    headers,
    data: { name: `${label} nightly calendar synchroniser`, permissions: ["credentials:google:read", "credentials:github:read"] },
  });
  expect(created.status()).toBe(201);
  const service = (await created.json()) as { id: string; clientSecret: string };
  recordTestTokens(service.clientSecret);
  const app = await request.post("/api/applications", {
    headers,
    data: { name: `${label} admin-owned reporting application`, redirectUris: ["https://reports.example.com/oauth/callback"], confidential: true },
  });
  expect(app.status()).toBe(201);
  const application = (await app.json()) as { id: string; clientSecret?: string };
  recordTestTokens(application.clientSecret ?? "");
  const hook = await request.post("/api/admin/webhooks", {
    headers,
    data: { url: `http://127.0.0.1:9/${label}/a-rather-long-webhook-receiver-path`, events: ["pat.revoked", "pat.leaked"] },
  });
  expect(hook.status()).toBe(201);
  const webhook = (await hook.json()) as { id: string; secret: string };
  recordTestTokens(webhook.secret);
  // A test event to port 9 (refused): a delivery with a failure to show on the webhook's pages.
  const sent = await request.post(`/api/admin/webhooks/${webhook.id}/test`, { headers });
  expect(sent.status()).toBe(200);
  const { deliveryId } = (await sent.json()) as { deliveryId: string };
  await createPat(request, headers, { name: "admin walk token", scopes: ["profile:read"], expiresInDays: 1 });
  return {
    sessionToken: admin.sessionToken,
    paths: [
      "/admin",
      "/admin/users",
      `/admin/users/${user.userId}`,
      `/admin/users/${admin.userId}`,
      "/admin/services",
      `/admin/services/${service.id}`,
      "/admin/applications",
      `/admin/applications/${application.id}`,
      "/admin/webhooks",
      `/admin/webhooks/${webhook.id}`,
      `/admin/webhooks/${webhook.id}/deliveries/${deliveryId}`,
      "/admin/audit",
      "/settings/tokens",
    ],
  };
}

/** Admin lists with nothing in them: a search nobody matches, an audit filter no event matches. */
export const ADMIN_EMPTY_PATHS = ["/admin/users?q=nobody-matches-this-search", "/admin/audit?subject=usr_nobody", "/admin/audit?person=nobody%40example.com"];
