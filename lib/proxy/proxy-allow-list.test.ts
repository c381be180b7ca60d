import fc from "fast-check";
import { expect, it } from "vitest";
import { checkProxyPath, isProxyPathAllowed, proxyAllowSchema } from "./proxy-allow-list";

it("refuses every path an upstream could resolve outside what it looks like", () => {
  for (const path of ["/me", "/", "/items/", "/items/7", "/users/a@b.c/x", "/q;v=1", "/me%20x", "/calendar/v3/users/me/calendarList"]) expect(checkProxyPath(path), path).toBeNull();
  for (const path of ["", "me", "/me/../admin", "/me/./x", "/..", "/.", "/me/..;/admin", "/me/.;x/y", "/me//admin", "//evil.example/x", "/me/..%2fadmin", "/me%2F..", "/me/%2e%2e/admin", "/me/.%2E/x", "/me/%252e", "/me\\..\\admin", "/me/%5c", "/me/%00", "/me/%zz", "/me/%4", "/me/\u0000", "/me/ x", "/" + "a".repeat(3000)]) {
    expect(checkProxyPath(path), path).toBe("invalid_path");
  }
});

it("matches whole segments of the prefix: /items allows /items and /items/7, never /itemsX", () => {
  const allow = ["google:/me", "github:/items", "microsoft-entra-id:/"];
  expect(isProxyPathAllowed(allow, "google", "/me")).toBe(true);
  expect(isProxyPathAllowed(allow, "google", "/me/calendar")).toBe(true);
  expect(isProxyPathAllowed(allow, "google", "/meX")).toBe(false);
  expect(isProxyPathAllowed(allow, "google", "/items")).toBe(false);
  expect(isProxyPathAllowed(allow, "github", "/items/")).toBe(true);
  expect(isProxyPathAllowed(allow, "github", "/itemsX")).toBe(false);
  expect(isProxyPathAllowed(allow, "github", "/me")).toBe(false);
  expect(isProxyPathAllowed(allow, "microsoft-entra-id", "/anything/at/all")).toBe(true);
  expect(isProxyPathAllowed([], "google", "/me")).toBe(false);
});

it("property: a path that passes the check and the allow-list stays under the prefix once an upstream resolves it", () => {
  const segment = fc.oneof(fc.constantFrom("..", ".", "", "%2e%2e", "..;", "%2f", "me", "items", "admin", "%41", "a.b", "..."), fc.string({ maxLength: 6 }));
  fc.assert(
    fc.property(fc.array(segment, { maxLength: 6 }), (segments) => {
      const path = `/${segments.join("/")}`;
      if (checkProxyPath(path) !== null || !isProxyPathAllowed(["google:/me"], "google", path)) return;
      // What a lenient upstream does: decode once, then resolve dot segments.
      const resolved = new URL(decodeURIComponent(path), "https://api.example").pathname;
      expect(resolved === "/me" || resolved.startsWith("/me/"), `${path} → ${resolved}`).toBe(true);
    }),
    { seed: 20261124, numRuns: 2000 },
  );
});

it("the admin's allow-list entries: known provider, absolute safe prefix, deduplicated", () => {
  expect(proxyAllowSchema.parse(["google:/me", " github:/items ", "google:/me", "microsoft-entra-id:/"])).toEqual(["google:/me", "github:/items", "microsoft-entra-id:/"]);
  for (const entry of ["google:/me/", "google:/me/../x", "google:me", "nope:/x", "google:", "google://x", "google:/m%65", "/me", "google:/a b"]) expect(proxyAllowSchema.safeParse([entry]).success, entry).toBe(false);
  expect(proxyAllowSchema.safeParse(Array.from({ length: 51 }, (_, i) => `google:/p${i}`)).success).toBe(false);
});
