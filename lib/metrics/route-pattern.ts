import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

type Manifest = { staticRoutes?: { page: string; regex: string }[]; dynamicRoutes?: { page: string; regex: string }[] };
export type RoutePatternMatcher = (pathname: string) => string;

/**
 * Maps a request path to its route PATTERN (`/api/tokens/pat_x1` → `/api/tokens/[id]`) from the build's
 * routes manifest, so a metric label never carries an id. Anything else is one of a few fixed labels.
 */
export function createRoutePatternMatcher(manifest: Manifest | null, appPaths: string[] = []): RoutePatternMatcher {
  const routes = [...(manifest?.staticRoutes ?? []), ...(manifest?.dynamicRoutes ?? [])].map((route) => ({ page: route.page, regex: new RegExp(route.regex) }));
  // Static route handlers (/api/v1/me) are only in the app-paths manifest.
  const staticPaths = new Set(appPaths.filter((page) => !page.includes("[")));
  return (pathname) => {
    if (pathname.startsWith("/_next/")) return "/_next";
    const trimmed = pathname.length > 1 ? pathname.replace(/\/$/, "") : pathname;
    if (staticPaths.has(trimmed)) return trimmed;
    for (const route of routes) if (route.regex.test(pathname)) return route.page;
    return "unmatched";
  };
}

/** The matcher for the build in `.next` (every path is "unmatched" without a build, e.g. in dev before compiling). */
export function loadRoutePatternMatcher(root = process.cwd()): RoutePatternMatcher {
  const read = <T>(name: string): T | null => {
    const file = path.join(root, ".next", name);
    return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as T) : null;
  };
  const appPaths = Object.values(read<Record<string, string>>("app-path-routes-manifest.json") ?? {});
  return createRoutePatternMatcher(read<Manifest>("routes-manifest.json"), appPaths);
}
