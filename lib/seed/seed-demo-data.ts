import { randomBytes } from "node:crypto";
import pg from "pg";
import { parseKeyring } from "@/lib/crypto";
import { parseDatabaseUrl } from "@/lib/db/database-url";
import { sealToken } from "@/lib/provider-tokens/token-cipher";

export type SeedOptions = { users: number; databaseUrl: string; tokenKeys: string; log?: (message: string) => void; batchUsers?: number };
export type SeedReport = { users: number; accounts: number; connections: number; providerTokens: number; pats: number; auditEvents: number; ms: number };

const PROVIDERS = ["google", "microsoft-entra-id", "github"] as const;

/**
 * Fills a database with a realistic population for the admin dashboard at scale: users created over
 * two years, ~2.5 linked accounts each, API access for ~60% of links (3 encrypted tokens for Google
 * and Microsoft, 2 for GitHub), ~2 PATs per user (mostly active, some expired or revoked), and an
 * audit trail. Set-based SQL for the bulk; provider tokens are encrypted for real, under the app's key.
 */
/** Users per batch: each batch is a handful of set-based statements, so a million users report progress and no
 * statement holds more than this many users' rows in memory. */
export const SEED_BATCH_USERS = 50_000;

export async function seedDemoData(options: SeedOptions): Promise<SeedReport> {
  const started = Date.now();
  const log = options.log ?? (() => {});
  const client = new pg.Client(parseDatabaseUrl(options.databaseUrl).pool);
  await client.connect();
  const run = `s${randomBytes(3).toString("hex")}`;
  const keyring = parseKeyring(options.tokenKeys);
  let providerTokens = 0;
  try {
    const batch = options.batchUsers ?? SEED_BATCH_USERS;
    for (let first = 1; first <= options.users; first += batch) {
      const last = Math.min(options.users, first + batch - 1);
      providerTokens += await seedBatch(client, { run, first, last, users: options.users, keyring });
      log(`${last.toLocaleString("en")} of ${options.users.toLocaleString("en")} users (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    }
    // Like autovacuum would on a live system: statistics and visibility map for index-only counts.
    log("vacuum analyze…");
    await client.query(`VACUUM ANALYZE`);
    const count = async (table: string, column = "id") =>
      Number((await client.query(`SELECT count(*) AS n FROM "${table}" WHERE ${column} LIKE $1`, [`%${run}%`])).rows[0].n);
    return {
      users: await count("User"),
      accounts: await count("Account"),
      connections: await count("ProviderConnection"),
      providerTokens,
      pats: await count("PersonalAccessToken"),
      auditEvents: await count("AuditEvent"),
      ms: Date.now() - started,
    };
  } finally {
    await client.end();
  }
}

type Batch = { run: string; first: number; last: number; users: number; keyring: ReturnType<typeof parseKeyring> };

/*
 * Users first..last and everything they own. Arithmetic on the series number is bigint (`g::bigint`): at a few
 * hundred thousand users `g * 7919` overflowed int4 (issue 26). hashtext() can be INT_MIN, whose abs() overflows
 * int4 too, hence the bigint there as well.
 */
async function seedBatch(client: pg.Client, { run, first, last, users, keyring }: Batch): Promise<number> {
  await client.query(
    `INSERT INTO "User" (id, email, name, role, "createdAt", "updatedAt", "lastSignInAt")
     SELECT $1 || '_u' || g, $1 || '.user' || g || '@example.org', 'Seed User ' || g,
            (CASE WHEN g % 97 = 0 THEN 'ADMIN' ELSE 'USER' END)::"Role",
            now() - (random() * interval '730 days'), now(),
            CASE WHEN g % 7 = 0 THEN NULL ELSE now() - (random() * interval '90 days') END
     FROM generate_series($2::bigint, $3::bigint) g`,
    [run, first, last],
  );
  // google for 90%, microsoft for 80%, github for 80% of users: ~2.5 links each.
  await client.query(
    `INSERT INTO "Account" (id, "userId", type, provider, "providerAccountId", "createdAt", "updatedAt")
     SELECT $1 || '_a' || g || '_' || p.i, $1 || '_u' || g, CASE p.name WHEN 'github' THEN 'oauth' ELSE 'oidc' END, p.name, $1 || '-' || g || '-' || p.i, now(), now()
     FROM generate_series($2::bigint, $3::bigint) g
     CROSS JOIN (VALUES (1, 'google', 90), (2, 'microsoft-entra-id', 80), (3, 'github', 80)) AS p(i, name, pct)
     WHERE (g * 7919 + p.i * 104729) % 100 < p.pct`,
    [run, first, last],
  );
  // API access for ~24% of links; 1 in 50 of those is a dead grant.
  const connections = await client.query<{ id: string; userId: string; provider: string; status: string }>(
    `INSERT INTO "ProviderConnection" (id, "userId", provider, status, scopes, "tokenType", "accessTokenExpiresAt", "lastRefreshedAt", "reconnectReason", "reconnectRequiredAt", "createdAt", "updatedAt")
     SELECT 'c_' || a.id, a."userId", a.provider,
            (CASE WHEN h % 50 = 0 THEN 'NEEDS_RECONNECT' ELSE 'ACTIVE' END)::"ConnectionStatus",
            CASE a.provider WHEN 'github' THEN ARRAY['read:user','repo'] WHEN 'google' THEN ARRAY['openid','email','https://www.googleapis.com/auth/calendar.readonly'] ELSE ARRAY['openid','offline_access','Mail.Read'] END,
            'Bearer', now() + interval '50 minutes', now() - (random() * interval '1 day'),
            CASE WHEN h % 50 = 0 THEN 'invalid_grant: refresh token revoked' END, CASE WHEN h % 50 = 0 THEN now() - interval '2 days' END, now(), now()
     FROM (SELECT *, abs(hashtext(id)::bigint) AS h FROM "Account"
            WHERE "userId" IN (SELECT $1 || '_u' || g FROM generate_series($2::bigint, $3::bigint) g)) a
     WHERE a.h % 100 < 24
     RETURNING id, "userId", provider, status`,
    [run, first, last],
  );
  // Encrypted for real, under the app's key, in inserts of 1,000 rows.
  let providerTokens = 0;
  const rows: unknown[][] = [];
  const flush = async () => {
    if (!rows.length) return;
    const values = rows
      .map((_, i) => `($${i * 7 + 1}, $${i * 7 + 2}, $${i * 7 + 3}, $${i * 7 + 4}, $${i * 7 + 5}, $${i * 7 + 6}, $${i * 7 + 7}, now(), now())`)
      .join(",");
    await client.query(
      `INSERT INTO "ProviderToken" (id, "connectionId", "userId", provider, name, ciphertext, "keyId", "createdAt", "updatedAt") VALUES ${values}`,
      rows.flat(),
    );
    providerTokens += rows.length;
    rows.length = 0;
  };
  for (const connection of connections.rows) {
    if (connection.status !== "ACTIVE") continue;
    const names = connection.provider === "github" ? ["access_token", "refresh_token"] : ["access_token", "id_token", "refresh_token"];
    for (const name of names) {
      const { ciphertext, keyId } = sealToken(connection.userId, connection.provider, name, `seed-${name}-${randomBytes(24).toString("base64url")}`, keyring);
      rows.push([`t_${connection.id}_${name}`, connection.id, connection.userId, connection.provider, name, ciphertext, keyId]);
      if (rows.length >= 1000) await flush();
    }
  }
  await flush();
  await client.query(
    `INSERT INTO "PersonalAccessToken" (id, "userId", name, scopes, "tokenHash", "tokenHint", "createdAt", "expiresAt", "revokedAt", "lastUsedAt", "lastUsedIp")
     SELECT 'pat_' || $1 || g || 'n' || n, $1 || '_u' || g, 'token ' || n, ARRAY['profile:read','tokens:read'],
            encode(sha256(($1 || g || '-' || n || random())::bytea), 'hex'), 'tsr_pat_…' || substr(md5(g::text || n), 1, 4),
            now() - (random() * interval '300 days'),
            CASE WHEN (g + n) % 4 = 0 THEN now() - (random() * interval '30 days') ELSE now() + (random() * interval '300 days') END,
            CASE WHEN (g + n) % 7 = 0 THEN now() - (random() * interval '10 days') END,
            CASE WHEN (g + n) % 3 = 0 THEN NULL ELSE now() - (random() * interval '20 days') END,
            '203.0.113.' || (g % 250)
     FROM generate_series($2::bigint, $3::bigint) g CROSS JOIN generate_series(1, 2) n`,
    [run, first, last],
  );
  // The trail is appended in time order, as a live one is (a day's events sit together on disk): the last 30 days.
  await client.query(
    `INSERT INTO "AuditEvent" (id, action, "actorType", "actorId", "subjectUserId", provider, "tokenNames", ip, "createdAt")
     SELECT 'ev_' || $1 || g, (ARRAY['provider_token.stored','provider_token.refreshed','pat.created','pat.revoked','provider_token.refresh_failed'])[1 + g % 5],
            'system', NULL, $1 || '_u' || (1 + g % $4), (ARRAY['google','microsoft-entra-id','github'])[1 + g % 3], ARRAY['access_token'], '198.51.100.' || (g % 250),
            now() - interval '30 days' * (1 - g::float8 / $4)
     FROM generate_series($2::bigint, $3::bigint) g`,
    [run, first, last, users],
  );
  return providerTokens;
}

export { PROVIDERS as SEED_PROVIDERS };
