import { readFileSync } from "node:fs";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { allStoredTokenValues, plantUser } from "./support/app";

/*
 * The guard: plant known token values (provider tokens and PATs), then fetch every page and route as
 * their owner, as another user and signed out, and prove no value ever comes back out — not in a
 * body, not in a header, not in the app's log.
 */
const PAGES = ["/", "/signin", "/settings/connections", "/settings/tokens", "/settings/tokens?cursor=pat_unknown", "/does-not-exist", "/admin", "/admin/users", "/admin/audit"];
const API_GETS = ["/api/health", "/api/v1/me", "/api/v1/connections", "/api/v1/tokens", "/api/tokens", "/api/tokens?cursor=pat_x", "/api/auth/session", "/api/auth/providers", "/api/auth/csrf"];

type Seen = { where: string; text: string };

async function sweep(request: APIRequestContext, label: string, headers: Record<string, string>, seen: Seen[], extra: string[] = []) {
  for (const path of [...PAGES, ...API_GETS, ...extra]) {
    const response = await request.get(path, { headers, maxRedirects: 0 });
    seen.push({ where: `${label} GET ${path} (${response.status()})`, text: (await response.text()) + JSON.stringify(response.headers()) });
  }
  const writes: [string, string, unknown][] = [
    ["POST", "/api/tokens", { name: "guard", scopes: ["profile:read"], expiresInDays: 1 }],
    ["POST", "/api/tokens", "{broken"],
    ["DELETE", "/api/tokens/pat_nothere", undefined],
    ["DELETE", "/api/tokens/current", undefined],
  ];
  for (const [method, path, body] of writes) {
    const response = await request.fetch(path, { method, headers: { ...headers, "content-type": "application/json" }, data: typeof body === "string" ? body : body ? JSON.stringify(body) : undefined, maxRedirects: 0 });
    const text = await response.text();
    // The creation response is the one place a new token is shown: only to its creator, and it is new.
    seen.push({ where: `${label} ${method} ${path} (${response.status()})`, text: path === "/api/tokens" && method === "POST" && response.status() === 201 ? JSON.stringify({ ...JSON.parse(text), token: "[new token]" }) : text + JSON.stringify(response.headers()) });
  }
}

test("no planted token value appears in any response, header or log line", async ({ request, baseURL }) => {
  const owner = await plantUser("guard-owner");
  const other = await plantUser("guard-other");
  const sameOrigin = { origin: baseURL!, "sec-fetch-site": "same-origin" };

  const created = await request.post("/api/tokens", {
    headers: { cookie: owner.cookie, ...sameOrigin },
    data: { name: "guard-pat", scopes: ["profile:read", "connections:read", "tokens:read", "tokens:write"], expiresInDays: 7 },
  });
  expect(created.status()).toBe(201);
  const pat = (await created.json()).token as string;
  // (Session cookies are not in the list: Auth.js re-sets its own cookie on /api/auth/session, by design.)
  const planted = [...Object.values(owner.values), ...Object.values(other.values), pat];

  const seen: Seen[] = [];
  await sweep(request, "owner(session)", { cookie: owner.cookie, ...sameOrigin }, seen);
  await sweep(request, "owner(PAT)", { authorization: `Bearer ${pat}` }, seen);
  await sweep(request, "owner(X-API-Key)", { "x-api-key": pat }, seen);
  await sweep(request, "other(session)", { cookie: other.cookie, ...sameOrigin }, seen);
  await sweep(request, "signed-out", {}, seen);
  await sweep(request, "bad PAT", { authorization: `Bearer ${pat.slice(0, -1)}x` }, seen);

  // Admins see every user's token names and counts — never values.
  const admin = await plantUser("guard-admin", "ADMIN");
  const adminPaths = [
    `/admin/users/${owner.userId}`,
    `/admin/users/${other.userId}`,
    `/admin/users?q=guard`,
    `/admin/audit?subject=${owner.userId}`,
    `/api/admin/users/${owner.userId}/provider-tokens`,
  ];
  await sweep(request, "admin(session)", { cookie: admin.cookie, ...sameOrigin }, seen, adminPaths);
  await sweep(request, "owner on admin paths", { cookie: owner.cookie, ...sameOrigin }, seen, adminPaths);
  const ownerDetail = seen.find((s) => s.where.startsWith(`admin(session) GET /admin/users/${owner.userId} (200)`));
  expect(ownerDetail?.text).toContain("Google (3), GitHub (1)");
  planted.push(...Object.values(admin.values));

  // The internal access-token API answers only to the internal service token.
  for (const [label, headers] of [["owner session", { cookie: owner.cookie, ...sameOrigin }], ["owner PAT", { authorization: `Bearer ${pat}` }], ["signed out", {}]] as const) {
    const response = await request.post(`/api/internal/users/${owner.userId}/providers/google/access-token`, { headers });
    expect(response.status(), label).toBe(401);
    seen.push({ where: `${label} POST internal access-token`, text: (await response.text()) + JSON.stringify(response.headers()) });
  }

  // Make sure the sweep really looked at the owner's data (so the absence of values means something).
  const connections = seen.find((s) => s.where.startsWith("owner(PAT) GET /api/v1/connections (200)"));
  expect(connections?.text).toContain("refresh_token");
  const page = seen.find((s) => s.where.startsWith("owner(session) GET /settings/connections (200)"));
  expect(page?.text).toContain("Connected with API access");

  for (const value of planted) {
    for (const entry of seen) expect(entry.text.includes(value), `${value.slice(0, 24)}… leaked in ${entry.where}`).toBe(false);
  }

  const log = readFileSync(".data/e2e-app.log", "utf8");
  expect(log.length).toBeGreaterThan(0);
  for (const value of [...planted, ...(await allStoredTokenValues())]) {
    expect(log.includes(value), `${value.slice(0, 24)}… leaked into the app log`).toBe(false);
  }
});
