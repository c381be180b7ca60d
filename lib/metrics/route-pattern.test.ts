import { expect, it } from "vitest";
import { createRoutePatternMatcher } from "./route-pattern";

const manifest = {
  staticRoutes: [{ page: "/api/tokens", regex: "^/api/tokens(?:/)?$" }],
  dynamicRoutes: [
    { page: "/api/tokens/[id]", regex: "^/api/tokens/([^/]+?)(?:/)?$" },
    { page: "/api/admin/users/[id]/provider-tokens", regex: "^/api/admin/users/([^/]+?)/provider\\-tokens(?:/)?$" },
    { page: "/api/proxy/[provider]/[...path]", regex: "^/api/proxy/([^/]+?)/(.+?)(?:/)?$" },
  ],
};

it("labels a request by its route pattern, never by the raw path with ids in it", () => {
  const routeOf = createRoutePatternMatcher(manifest, ["/api/v1/me", "/api/tokens/[id]"]);
  expect(routeOf("/api/v1/me")).toBe("/api/v1/me");
  expect(routeOf("/api/tokens")).toBe("/api/tokens");
  expect(routeOf("/api/tokens/pat_01J9ZSECRETISH")).toBe("/api/tokens/[id]");
  expect(routeOf("/api/admin/users/user_42/provider-tokens")).toBe("/api/admin/users/[id]/provider-tokens");
  // Proxied calls: the provider's paths (ids, emails) never become labels.
  expect(routeOf("/api/proxy/google/gmail/v1/users/alice@example.com/messages/18c2")).toBe("/api/proxy/[provider]/[...path]");
  expect(routeOf("/_next/static/chunks/app.js")).toBe("/_next");
  // Made-up paths (scanners, typos) share one label instead of growing the series without bound.
  expect(routeOf("/wp-login.php?user=alice")).toBe("unmatched");
  expect(createRoutePatternMatcher(null)("/api/tokens")).toBe("unmatched");
});
