import fc from "fast-check";
import { expect, it } from "vitest";
import { checkProxyPath, isProxyPathAllowed, proxyAllowSchema, proxyScopesNeeded } from "./proxy-allow-list";

it("refuses every path an upstream could resolve outside what it looks like", () => {
  for (const path of ["/me", "/", "/items/", "/items/7", "/users/a@b.c/x", "/q;v=1", "/me%20x", "/calendar/v3/users/me/calendarList"])
    expect(checkProxyPath(path), path).toBeNull();
  for (const path of [
    "",
    "me",
    "/me/../admin",
    "/me/./x",
    "/..",
    "/.",
    "/me/..;/admin",
    "/me/.;x/y",
    "/me//admin",
    "//evil.example/x",
    "/me/..%2fadmin",
    "/me%2F..",
    "/me/%2e%2e/admin",
    "/me/.%2E/x",
    "/me/%252e",
    "/me\\..\\admin",
    "/me/%5c",
    "/me/%00",
    "/me/%zz",
    "/me/%4",
    "/me/\u0000",
    "/me/ x",
    "/" + "a".repeat(3000),
  ]) {
    expect(checkProxyPath(path), path).toBe("invalid_path");
  }
});

it("matches whole segments of the prefix: /items allows /items and /items/7, never /itemsX", () => {
  const allow = ["google:/me", "github:/items", "microsoft-entra-id:/"];
  expect(isProxyPathAllowed(allow, "google", "/me", "GET")).toBe(true);
  expect(isProxyPathAllowed(allow, "google", "/me/calendar", "GET")).toBe(true);
  expect(isProxyPathAllowed(allow, "google", "/meX", "GET")).toBe(false);
  expect(isProxyPathAllowed(allow, "google", "/items", "GET")).toBe(false);
  expect(isProxyPathAllowed(allow, "github", "/items/", "GET")).toBe(true);
  expect(isProxyPathAllowed(allow, "github", "/itemsX", "GET")).toBe(false);
  expect(isProxyPathAllowed(allow, "github", "/me", "GET")).toBe(false);
  expect(isProxyPathAllowed(allow, "microsoft-entra-id", "/anything/at/all", "GET")).toBe(true);
  expect(isProxyPathAllowed([], "google", "/me", "GET")).toBe(false);
});

it("property: a path that passes the check and the allow-list stays under the prefix once an upstream resolves it", () => {
  const segment = fc.oneof(fc.constantFrom("..", ".", "", "%2e%2e", "..;", "%2f", "me", "items", "admin", "%41", "a.b", "..."), fc.string({ maxLength: 6 }));
  fc.assert(
    fc.property(fc.array(segment, { maxLength: 6 }), (segments) => {
      const path = `/${segments.join("/")}`;
      if (checkProxyPath(path) !== null || !isProxyPathAllowed(["google:/me"], "google", path, "GET")) return;
      // What a lenient upstream does: decode once, then resolve dot segments.
      const resolved = new URL(decodeURIComponent(path), "https://api.example").pathname;
      expect(resolved === "/me" || resolved.startsWith("/me/"), `${path} → ${resolved}`).toBe(true);
    }),
    { seed: 20261124, numRuns: 2000 },
  );
});

it("the admin's allow-list entries: known provider, absolute safe prefix, stored explicit, deduplicated", () => {
  expect(proxyAllowSchema.parse(["google:/me", " github:/items ", "GET google:/me", "microsoft-entra-id:/"])).toEqual([
    "GET google:/me",
    "GET github:/items",
    "GET microsoft-entra-id:/",
  ]);
  for (const entry of ["google:/me/", "google:/me/../x", "google:me", "nope:/x", "google:", "google://x", "google:/m%65", "/me", "google:/a b"])
    expect(proxyAllowSchema.safeParse([entry]).success, entry).toBe(false);
  expect(proxyAllowSchema.safeParse(Array.from({ length: 51 }, (_, i) => `google:/p${i}`)).success).toBe(false);
});

/*
 * Methods (issue 20 §3). Mutation checks, each seen red:
 * - isProxyPathAllowed: `methodAllowed` replaced by `true` → the method-less rows for POST/PUT/PATCH/DELETE fail.
 * - isProxyPathAllowed: `|| (wanted === "HEAD" && methods.has("GET"))` removed → the HEAD-under-GET rows fail.
 * - isProxyPathAllowed: `method.toUpperCase()` replaced by `method` → the "patch" row fails.
 * - parseEntry: the default `new Set(["GET"])` replaced by ANY_METHOD → method-less entries allow writes; rows fail.
 */
it.each([
  // [entry, method, allowed]
  ["google:/me", "GET", true],
  ["google:/me", "HEAD", true],
  ["google:/me", "POST", false],
  ["google:/me", "PUT", false],
  ["google:/me", "PATCH", false],
  ["google:/me", "DELETE", false],
  ["GET google:/me", "GET", true],
  ["GET google:/me", "HEAD", true],
  ["GET google:/me", "PATCH", false],
  ["HEAD google:/me", "HEAD", true],
  ["HEAD google:/me", "GET", false],
  ["POST google:/me", "POST", true],
  ["POST google:/me", "GET", false],
  ["POST google:/me", "HEAD", false],
  ["GET,POST google:/me", "POST", true],
  ["GET,POST google:/me", "HEAD", true],
  ["GET,POST google:/me", "DELETE", false],
  ["PATCH google:/me", "patch", true],
  ["patch google:/me", "PATCH", true],
  ["* google:/me", "DELETE", true],
  ["* google:/me", "HEAD", true],
  ["* google:/me", "OPTIONS", false],
  ["* google:/me", "TRACE", false],
  ["GET google:/me", "get", true],
] as const)("%s lets %s through: %s", (entry, method, allowed) => {
  expect(isProxyPathAllowed([entry], "google", "/me/x", method)).toBe(allowed);
  // The method never widens the path or the provider.
  expect(isProxyPathAllowed([entry], "google", "/meX", method)).toBe(false);
  expect(isProxyPathAllowed([entry], "github", "/me/x", method)).toBe(false);
});

it("another entry for the same path adds its methods: GET everywhere under /repos, POST only under /repos/acme/issues", () => {
  const allow = ["GET github:/repos", "POST github:/repos/acme/issues"];
  expect(isProxyPathAllowed(allow, "github", "/repos/acme/issues", "POST")).toBe(true);
  expect(isProxyPathAllowed(allow, "github", "/repos/acme/issues/7", "GET")).toBe(true);
  expect(isProxyPathAllowed(allow, "github", "/repos/acme/pulls", "POST")).toBe(false);
  expect(isProxyPathAllowed(allow, "github", "/repos/acme/issues/7", "DELETE")).toBe(false);
});

it("a stored entry that does not parse allows nothing", () => {
  for (const entry of ["GET  google:/me x", "FETCH google:/me", "GET google:/me/../x", "google"])
    expect(isProxyPathAllowed([entry], "google", "/me", "GET"), entry).toBe(false);
});

it.each([
  // [written, stored]
  ["google:/me", "GET google:/me"],
  ["  get   google:/me ", "GET google:/me"],
  ["GET,HEAD google:/me", "GET google:/me"],
  ["HEAD google:/me", "HEAD google:/me"],
  ["post,GET,post google:/me", "GET,POST google:/me"],
  ["delete,patch,put,post,head,get github:/items", "GET,POST,PUT,PATCH,DELETE github:/items"],
  ["* microsoft-entra-id:/", "* microsoft-entra-id:/"],
  ["GET\tgoogle:/me", "GET google:/me"],
] as const)("the admin writes %j; stored: %j", (written, stored) => {
  expect(proxyAllowSchema.parse([written])).toEqual([stored]);
  // The stored form reads back the same (what the migration and an edit in /admin/services rely on).
  expect(proxyAllowSchema.parse([stored])).toEqual([stored]);
});

it("duplicates are dropped after the explicit form: google:/me and GET google:/me are one entry", () => {
  expect(proxyAllowSchema.parse(["google:/me", "GET google:/me", "get,head google:/me", "POST google:/me"])).toEqual(["GET google:/me", "POST google:/me"]);
});

it.each([
  ["PSOT google:/me", /unknown method "PSOT".*GET, HEAD, POST, PUT, PATCH, DELETE/],
  ["OPTIONS google:/me", /unknown method "OPTIONS"/],
  ["GET, POST google:/me", /too many spaces/],
  ["GET,*google:/me", /should look like/],
  ["GET,* google:/me", /unknown method "\*"/],
  ["GET, google:/me", /unknown method ""/],
  ["ANY google:/me", /unknown method "ANY"/],
  ["GET google:/me/", /should look like "METHOD provider:\/path\/prefix \[scope=a,b\]".*no "\.\.", "\/\/", "%", spaces or trailing "\/"/],
  ["GET nope:/me", /providers: google, microsoft-entra-id, github/],
  ["GET /me", /should look like/],
  ["GET", /should look like/],
  ["", /should look like/],
] as const)("refuses %j with a message that says what to write", (entry, message) => {
  const result = proxyAllowSchema.safeParse([entry]);
  expect(result.success, entry).toBe(false);
  expect(result.error!.issues[0]!.message).toMatch(message);
  expect(result.error!.issues[0]!.path).toEqual([0]);
});

it("an entry may name the provider scopes its calls need (issue 23 §3); the most specific matching entry decides", () => {
  const allow = proxyAllowSchema.parse([
    "GET google:/calendar/v3 scope=https://www.googleapis.com/auth/calendar.readonly",
    "google:/me",
    "POST slack:/chat.postMessage scope=chat:write,chat:write",
  ]);
  expect(allow).toEqual([
    "GET google:/calendar/v3 scope=https://www.googleapis.com/auth/calendar.readonly",
    "GET google:/me",
    "POST slack:/chat.postMessage scope=chat:write",
  ]);
  expect(proxyScopesNeeded(allow, "google", "/calendar/v3/events", "GET")).toEqual(["https://www.googleapis.com/auth/calendar.readonly"]);
  expect(proxyScopesNeeded(allow, "google", "/me", "GET")).toEqual([]);
  expect(proxyScopesNeeded(allow, "slack", "/chat.postMessage", "POST")).toEqual(["chat:write"]);
  // Not allowed at all: nothing to ask for.
  expect(proxyScopesNeeded(allow, "slack", "/chat.postMessage", "GET")).toEqual([]);
  expect(isProxyPathAllowed(allow, "google", "/calendar/v3", "GET")).toBe(true);
  for (const bad of ["GET google:/me scope=", "GET google:/me scope=a b", "GET google:/me scope=a,,b", "GET google:/me scope=x extra"]) {
    expect(proxyAllowSchema.safeParse([bad]).success, bad).toBe(false);
  }
});
