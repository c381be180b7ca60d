// npm run keys:rotate — re-encrypts every stored provider token and webhook signing secret under the first key in
// TOKEN_ENCRYPTION_KEYS (online). Uses DATABASE_URL, or the embedded database and .data/secrets.json.
import { loadSecrets } from "../lib/config/secrets";
import { closeDatabase, connectDatabase } from "../lib/db/client";
import { rotateTokenKeys } from "../lib/provider-tokens/rotate-token-keys";
import { withDatabaseUrl } from "../lib/runtime/with-database-url";

Object.assign(process.env, loadSecrets(process.env, { generate: !process.env.DATABASE_URL }));
await withDatabaseUrl(async (url) => {
  await connectDatabase(url, { poolMax: 2 });
  const report = await rotateTokenKeys();
  console.log(
    `Active key ${report.activeKeyId}: ${report.scanned} token(s) scanned, ${report.reencrypted} re-encrypted, ` +
      `${report.alreadyCurrent} already current, ${report.changedConcurrently} changed concurrently (already current), ${report.failed} failed; ` +
      `${report.webhookSecretsReencrypted} webhook signing secret(s) re-encrypted, ${report.webhookSecretsFailed} failed.`,
  );
  if (report.failed || report.webhookSecretsFailed)
    console.log("Failed rows could not be decrypted with any configured key; keep the old keys until they are resolved.");
  else console.log("Every token is under the active key: older keys can now be removed from TOKEN_ENCRYPTION_KEYS.");
  await closeDatabase();
});
