// npm run seed:demo -- --users 100000 — fills DATABASE_URL (or the embedded database) with a
// realistic population for trying the admin dashboard at scale.
import { parseArgs } from "node:util";
import { loadSecrets } from "../lib/config/secrets";
import { withDatabaseUrl } from "../lib/runtime/with-database-url";
import { seedDemoData } from "../lib/seed/seed-demo-data";

const { values } = parseArgs({ options: { users: { type: "string", default: "1000" } } });
const users = Number(values.users);
if (!Number.isInteger(users) || users < 1 || users > 1_000_000) {
  console.error("--users must be a whole number between 1 and 1000000");
  process.exit(2);
}
Object.assign(process.env, loadSecrets(process.env, { generate: !process.env.DATABASE_URL }));
await withDatabaseUrl(async (url) => {
  const report = await seedDemoData({ users, databaseUrl: url, tokenKeys: process.env.TOKEN_ENCRYPTION_KEYS!, log: (m) => console.log(`seeding ${m}`) });
  console.log(
    `Seeded ${report.users} users, ${report.accounts} linked accounts, ${report.connections} connections, ` +
      `${report.providerTokens} provider tokens, ${report.pats} PATs, ${report.auditEvents} audit events in ${(report.ms / 1000).toFixed(1)} s.`,
  );
});
