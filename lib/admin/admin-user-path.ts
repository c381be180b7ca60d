/** Where admin actions about one user report back: that user's page, or the user list when the id is unusable. */
export function adminUserPath(fields: { userId?: unknown }): string {
  const id = fields.userId;
  return typeof id === "string" && id.length > 0 && id.length <= 100 ? `/admin/users/${encodeURIComponent(id)}` : "/admin/users";
}
