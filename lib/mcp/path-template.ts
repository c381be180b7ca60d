/**
 * A provider path as the audit trail keeps it (issue 24: "path template"): segments that name one thing — a number,
 * a UUID, an email address, a long opaque id — become `{id}`, so the trail says what kind of call it was without
 * keeping the person's object ids. `/repos/acme/app/issues/42` → `/repos/acme/app/issues/{id}`.
 */
const ID_SEGMENT = [/^\d+$/, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, /@/, /^[A-Za-z0-9_-]{20,}$/, /^(?=.*\d)[A-Za-z0-9_-]{12,}$/];

export function pathTemplate(path: string): string {
  const bare = path.split("?")[0]!.slice(0, 400);
  return bare
    .split("/")
    .map((segment) => (segment && ID_SEGMENT.some((pattern) => pattern.test(segment)) ? "{id}" : segment))
    .join("/")
    .slice(0, 200);
}
