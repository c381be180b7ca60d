import { relative, sep } from "node:path";

export const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

/** The folders under app/ whose route files must be in the API reference (issue 14). */
export const DOCUMENTED_ROOTS = ["api", ".well-known"] as const;

/** `api/tokens/[id]/route.ts` (relative to app/) is under a documented root. */
export function isDocumentedRouteFile(relativeFile: string): boolean {
  return DOCUMENTED_ROOTS.some((root) => relativeFile.startsWith(`${root}${sep}`) || relativeFile.startsWith(`${root}/`));
}

/**
 * A route file's URL path, as Next maps it: `app/api/tokens/[id]/route.ts` → `/api/tokens/[id]`
 * (route groups `(x)` dropped).
 */
export function routeFilePath(appDir: string, file: string): string {
  const segments = relative(appDir, file).split(sep).slice(0, -1);
  return "/" + segments.filter((segment) => !/^\(.*\)$/.test(segment)).join("/");
}

/** The OpenAPI path: `[id]` → `{id}`; a catch-all `[...path]` (or `[[...path]]`) → `{path}` (it may hold slashes). */
export function openApiPath(routePath: string): string {
  return routePath.replace(/\[\[?(?:\.\.\.)?([^\]]+?)\]?\]/g, "{$1}");
}
