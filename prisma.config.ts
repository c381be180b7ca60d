import { defineConfig } from "prisma/config";

// The CLI only needs a URL for `migrate deploy` on machines that have the native schema engine;
// the app itself migrates through lib/migrations/migrate.ts (WebAssembly engine), see README.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/tessera" },
});
