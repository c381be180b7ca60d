/** The demo identity provider's people. Any other login matching LOGIN becomes `<login>@example.com`. */
export type DemoUser = { login: string; name: string; email: string };

export const DEMO_USERS: Readonly<Record<string, { name: string; email: string }>> = {
  alice: { name: "Alice Example", email: "alice@example.com" },
  bob: { name: "Bob Example", email: "bob@example.com" },
  admin: { name: "Ada Admin", email: "admin@example.com" },
};

const LOGIN = /^[a-z0-9][a-z0-9._-]{0,40}$/;

/** The demo user behind a login, or null when the login is not one (the IdP then asks again). */
export function findDemoUser(login: string): DemoUser | null {
  if (!LOGIN.test(login)) return null;
  const known = Object.hasOwn(DEMO_USERS, login) ? DEMO_USERS[login] : undefined;
  if (known) return { login, ...known };
  return { login, name: login.charAt(0).toUpperCase() + login.slice(1), email: `${login}@example.com` };
}

/**
 * GitHub identifies users by number: derive a stable one from the login. Keep the formula: it is the
 * providerAccountId of every GitHub account already linked in a demo database.
 */
export function deriveGithubUserId(login: string): number {
  let hash = 0;
  for (const char of login) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return (hash % 900_000_000) + 100_000;
}
