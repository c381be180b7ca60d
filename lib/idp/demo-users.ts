/**
 * The demo identity provider's people. Any other login matching LOGIN becomes `<login>@example.com`, verified.
 * `emailVerified: false` makes the IdP say so (`email_verified: false`, GitHub's emails API `verified: false`).
 */
export type DemoUser = { login: string; name: string; email: string; emailVerified: boolean };

export const DEMO_USERS: Readonly<Record<string, { name: string; email: string; emailVerified: boolean }>> = {
  alice: { name: "Alice Example", email: "alice@example.com", emailVerified: true },
  bob: { name: "Bob Example", email: "bob@example.com", emailVerified: true },
  admin: { name: "Ada Admin", email: "admin@example.com", emailVerified: true },
  // Claims the administrator's address without having verified it: Tessera must refuse her.
  mallory: { name: "Mallory Unverified", email: "admin@example.com", emailVerified: false },
  // An unverified address nobody else uses.
  eve: { name: "Eve Unverified", email: "eve@example.com", emailVerified: false },
};

const LOGIN = /^[a-z0-9][a-z0-9._-]{0,40}$/;

/** The demo user behind a login, or null when the login is not one (the IdP then asks again). */
export function findDemoUser(login: string): DemoUser | null {
  if (!LOGIN.test(login)) return null;
  const known = Object.hasOwn(DEMO_USERS, login) ? DEMO_USERS[login] : undefined;
  if (known) return { login, ...known };
  return { login, name: login.charAt(0).toUpperCase() + login.slice(1), email: `${login}@example.com`, emailVerified: true };
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
