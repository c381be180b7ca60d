import { describe, expect, it } from "vitest";
import { describeDatabase, formatStartBanner } from "./start-banner";

describe("start banner", () => {
  it("names a PostgreSQL server without its password, and the embedded directory", () => {
    const text = describeDatabase({ embeddedDir: null, databaseUrl: "postgresql://tessera:hunter2-secret@db.internal:5433/tessera" });
    expect(text).toBe("PostgreSQL at db.internal:5433/tessera (DATABASE_URL)");
    expect(describeDatabase({ embeddedDir: "/srv/tessera/.data/pglite", databaseUrl: "postgresql://postgres@127.0.0.1:1/postgres" })).toBe(
      "embedded PostgreSQL (PGlite) in /srv/tessera/.data/pglite",
    );
    expect(describeDatabase({ embeddedDir: null, databaseUrl: "not a url" })).toBe("PostgreSQL (DATABASE_URL)");
  });

  it("production: AUTH_URL, the configured providers, no demo users", () => {
    const banner = formatStartBanner({
      port: 3000,
      dev: false,
      database: "PostgreSQL at db:5432/tessera (DATABASE_URL)",
      env: { AUTH_URL: "https://tessera.example.com", AUTH_GITHUB_ID: "id", AUTH_GITHUB_SECRET: "github-client-secret-value" },
    });
    expect(banner).toContain("Tessera is ready: https://tessera.example.com");
    expect(banner).toMatch(/Mode\s+production: sign-in with GitHub/);
    expect(banner).not.toContain("alice");
    expect(banner).not.toContain("127.0.0.1");
    expect(banner).not.toContain("github-client-secret-value");
  });
});
