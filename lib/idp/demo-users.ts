/** The demo identity provider's people. Any other lowercase login becomes `<login>@example.com`. */
export const DEMO_USERS: Record<string, { name: string; email: string }> = {
  alice: { name: "Alice Example", email: "alice@example.com" },
  bob: { name: "Bob Example", email: "bob@example.com" },
  admin: { name: "Ada Admin", email: "admin@example.com" },
};

const LOGIN = /^[a-z0-9][a-z0-9._-]{0,40}$/;

export function findDemoUser(login: string): { login: string; name: string; email: string } | null {
  const known = DEMO_USERS[login];
  if (known) return { login, ...known };
  if (!LOGIN.test(login)) return null;
  return { login, name: login.charAt(0).toUpperCase() + login.slice(1), email: `${login}@example.com` };
}

/** GitHub identifies users by number; derive a stable one from the login. */
export function githubNumericId(login: string): number {
  let hash = 0;
  for (const char of login) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return (hash % 900_000_000) + 100_000;
}
