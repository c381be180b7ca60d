import { DEMO_USERS } from "@/lib/idp/demo-users";
import { getProviderMode, listEnabledProviders } from "@/lib/providers/catalog";

type Env = Readonly<Record<string, string | undefined>>;

/** Where the data lives, without the password a DATABASE_URL may carry. */
export function describeDatabase(input: { embeddedDir: string | null; databaseUrl: string | undefined }): string {
  if (input.embeddedDir) return `embedded PostgreSQL (PGlite) in ${input.embeddedDir}`;
  try {
    const url = new URL(input.databaseUrl ?? "");
    return `PostgreSQL at ${url.hostname}${url.port ? `:${url.port}` : ""}${url.pathname} (DATABASE_URL)`;
  } catch {
    return "PostgreSQL (DATABASE_URL)";
  }
}

/**
 * What `npm start` prints once the app answers: where to open it, which mode it runs in, where the
 * data lives, who can sign in (demo mode), and how to stop. Never a secret.
 */
export function formatStartBanner(input: { port: number; env: Env; database: string; dev: boolean }): string {
  const { env } = input;
  const mode = getProviderMode(env);
  const url = env.AUTH_URL || `http://localhost:${input.port}`;
  const lines = [
    "",
    `  Tessera is ready: ${url}`,
    ...(env.AUTH_URL ? [] : [`  (also at http://127.0.0.1:${input.port} or this machine's address: sign-in works wherever you open it)`]),
    "",
    `  Mode      ${
      mode === "demo"
        ? "demo: the built-in identity provider stands in for Google, Microsoft and GitHub (anyone can sign in as anyone)"
        : mode === "real"
          ? `production: sign-in with ${listEnabledProviders(env)
              .map((p) => p.label)
              .join(", ")}`
          : "no sign-in provider configured (see README, Connecting real providers)"
    }${input.dev ? " · development server" : ""}`,
    `  Data      ${input.database}`,
  ];
  if (mode === "demo") {
    const verified = Object.entries(DEMO_USERS).filter(([, user]) => user.emailVerified);
    const unverified = Object.entries(DEMO_USERS).filter(([, user]) => !user.emailVerified);
    lines.push(
      `  Users     ${verified.map(([login, user]) => `${login} (${user.email}${login === "admin" ? ", administrator" : ""})`).join(", ")}; any other name works too, any password`,
      `            ${unverified.map(([login]) => login).join(", ")}: unverified email addresses, refused on purpose`,
    );
  }
  lines.push("  Stop      Ctrl-C (finishes requests in flight, then closes the database)", "");
  return lines.join("\n");
}
