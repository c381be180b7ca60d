import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DEMO_CLIENT_IDS } from "@/lib/providers/catalog";
import { startDemoIdp, type DemoIdp } from "@/lib/idp/start-demo-idp";
import { CookieJar } from "@/lib/idp/testing/cookie-jar";

const APP = "http://localhost:3998";
let idp: DemoIdp;
const warnings: string[] = [];

beforeAll(async () => {
  const spy = vi.spyOn(console, "warn").mockImplementation((...args) => void warnings.push(args.join(" ")));
  const spyError = vi.spyOn(console, "error").mockImplementation((...args) => void warnings.push(args.join(" ")));
  idp = await startDemoIdp({ appUrls: [APP], clientSecret: "pages-secret" });
  spy.mockRestore();
  spyError.mockRestore();
});
afterAll(() => idp.close());

/** Starts an authorization and follows the IdP's redirects to its interaction page. */
async function openInteraction(provider: keyof typeof DEMO_CLIENT_IDS, jar = new CookieJar()) {
  const verifier = randomBytes(32).toString("base64url");
  const url = new URL(`${idp.issuer}/auth`);
  url.search = new URLSearchParams({
    client_id: DEMO_CLIENT_IDS[provider],
    response_type: "code",
    redirect_uri: `${APP}/api/auth/callback/${provider}`,
    scope: "openid email profile",
    state: "s",
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
  }).toString();
  let target = url.href;
  for (let i = 0; i < 5; i++) {
    const response = await fetch(target, { redirect: "manual", headers: { cookie: jar.header() } });
    jar.store(response);
    const location = response.headers.get("location");
    if (!location) return { response, html: await response.text(), url: target, jar };
    target = new URL(location, target).href;
  }
  throw new Error("no interaction page");
}

describe("demo IdP pages", () => {
  it("no development-interactions warning when it starts", () => {
    expect(warnings.join("\n")).not.toMatch(/devInteractions/);
  });

  it.each([
    ["google", "Demo Google", "#0b57d0"],
    ["microsoft-entra-id", "Demo Microsoft", "#0067b8"],
    ["github", "Demo GitHub", "#238636"],
  ] as const)("%s: its own sign-in page in that provider's colours, demo users one click away, no external request", async (provider, heading, colour) => {
    const { response, html } = await openInteraction(provider);
    expect(response.status).toBe(200);
    expect(html).toContain(`<h1>${heading}</h1>`);
    expect(html).toContain(colour);
    for (const login of ["alice", "bob", "admin", "mallory", "eve"]) expect(html).toContain(`name="login" value="${login}"`);
    expect(html).toContain("email not verified");
    expect(html).toContain("Or sign in as another name");
    expect(html).not.toMatch(/(src|href)="https?:/);
    expect(html).not.toMatch(/@import|url\(/);
    const csp = response.headers.get("content-security-policy")!;
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/style-src 'nonce-[^']+'/);
    expect(csp).toContain(`form-action 'self' ${APP}`);
    expect(response.headers.get("x-frame-options")).toBe("DENY");
  });

  it("signs in with a one-click choice, then asks consent listing the scopes, then returns to the app", async () => {
    const { url, jar } = await openInteraction("google");
    const uid = /\/interaction\/([^/?]+)/.exec(url)![1];
    const login = await fetch(`${idp.issuer}/interaction/${uid}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie: jar.header(), "content-type": "application/x-www-form-urlencoded" },
      body: "login=bob",
    });
    jar.store(login);
    expect(login.status).toBe(303);
    let target = new URL(login.headers.get("location")!, idp.issuer).href;
    let page: Response;
    for (;;) {
      page = await fetch(target, { redirect: "manual", headers: { cookie: jar.header() } });
      jar.store(page);
      const location = page.headers.get("location");
      if (!location) break;
      target = new URL(location, target).href;
    }
    const consent = await page.text();
    expect(consent).toContain("Tessera asks for this access");
    for (const scope of ["openid", "email", "profile"]) expect(consent).toContain(`<li>${scope}</li>`);
    const consentUid = /\/interaction\/([^/?]+)/.exec(target)![1];
    const confirmed = await fetch(`${idp.issuer}/interaction/${consentUid}/confirm`, { method: "POST", redirect: "manual", headers: { cookie: jar.header() } });
    jar.store(confirmed);
    let next = new URL(confirmed.headers.get("location")!, idp.issuer).href;
    for (let i = 0; i < 5 && !next.startsWith(APP); i++) {
      const step = await fetch(next, { redirect: "manual", headers: { cookie: jar.header() } });
      jar.store(step);
      next = new URL(step.headers.get("location")!, next).href;
    }
    expect(next).toMatch(new RegExp(`^${APP}/api/auth/callback/google\\?code=`));
  });

  it("refuses a login that is no demo name, and a POST without the browser's interaction cookie", async () => {
    const { url, jar } = await openInteraction("github");
    const uid = /\/interaction\/([^/?]+)/.exec(url)![1];
    const bad = await fetch(`${idp.issuer}/interaction/${uid}/login`, {
      method: "POST",
      headers: { cookie: jar.header(), "content-type": "application/x-www-form-urlencoded" },
      body: "login=%3Cscript%3E",
    });
    expect(bad.status).toBe(200);
    const html = await bad.text();
    expect(html).toContain('role="alert"');
    expect(html).not.toContain("<script>");
    const stranger = await fetch(`${idp.issuer}/interaction/${uid}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "login=alice",
    });
    expect(stranger.status).toBeGreaterThanOrEqual(400);
    expect(stranger.status).toBeLessThan(500);
  });
});
