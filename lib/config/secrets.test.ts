import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { InsecureSecretsFileError, loadSecrets, MissingSecretError, secretsFilePath } from "./secrets";

const root = mkdtempSync(path.join(tmpdir(), "tessera-secrets-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const NO_SECRETS = { AUTH_SECRET: "", TOKEN_ENCRYPTION_KEYS: "", PAT_HASH_PEPPER: "" };
let n = 0;
const freshFile = () => path.join(root, `case-${++n}`, "nested", "secrets.json");

describe("secrets at rest", () => {
  it("generates into TESSERA_SECRETS_FILE (creating its folder) with mode 0600 and reuses it", () => {
    const file = freshFile();
    const env = { ...NO_SECRETS, TESSERA_SECRETS_FILE: file };
    expect(secretsFilePath(env)).toBe(file);
    const first = loadSecrets(env, { generate: true });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(first);
    expect(loadSecrets(env, { generate: true })).toEqual(first);
  });

  it.each(["644", "640", "604", "660", "620"])("refuses a secrets file with mode %s and names the chmod command", (octal) => {
    const mode = parseInt(octal, 8);
    const file = freshFile();
    loadSecrets({ ...NO_SECRETS, TESSERA_SECRETS_FILE: file }, { generate: true });
    chmodSync(file, mode); // guard: assertSecretsFilePrivate's `mode & 0o077` check in lib/config/secrets.ts
    expect(() => loadSecrets({ ...NO_SECRETS, TESSERA_SECRETS_FILE: file }, { generate: true })).toThrow(InsecureSecretsFileError);
    expect(() => loadSecrets({ ...NO_SECRETS, TESSERA_SECRETS_FILE: file }, { generate: true })).toThrow(`chmod 600 ${file}`);
    // Even with every secret in the environment the readable file is refused: its contents are already exposed.
    expect(() => loadSecrets({ AUTH_SECRET: "a", TOKEN_ENCRYPTION_KEYS: "b", PAT_HASH_PEPPER: "c", TESSERA_SECRETS_FILE: file }, { generate: true })).toThrow(
      InsecureSecretsFileError,
    );
    chmodSync(file, 0o600);
    expect(() => loadSecrets({ ...NO_SECRETS, TESSERA_SECRETS_FILE: file }, { generate: true })).not.toThrow();
  });

  it("quotes a path with spaces in the chmod command", () => {
    const file = path.join(root, "with space", "secrets.json");
    loadSecrets({ ...NO_SECRETS, TESSERA_SECRETS_FILE: file }, { generate: true });
    chmodSync(file, 0o644);
    expect(() => loadSecrets({ ...NO_SECRETS, TESSERA_SECRETS_FILE: file }, { generate: true })).toThrow(`chmod 600 '${file}'`);
  });

  it("without generation (production on a real database) reads TESSERA_SECRETS_FILE but never writes one", () => {
    const file = freshFile();
    expect(() => loadSecrets({ ...NO_SECRETS, TESSERA_SECRETS_FILE: file }, { generate: false })).toThrow(MissingSecretError);
    expect(() => statSync(file)).toThrow();
    const generated = loadSecrets({ ...NO_SECRETS, TESSERA_SECRETS_FILE: file }, { generate: true });
    expect(loadSecrets({ ...NO_SECRETS, TESSERA_SECRETS_FILE: file }, { generate: false })).toEqual(generated);
    chmodSync(file, 0o640);
    expect(() => loadSecrets({ ...NO_SECRETS, TESSERA_SECRETS_FILE: file }, { generate: false })).toThrow(`chmod 600 ${file}`);
  });

  it("the default file is .data/secrets.json under TESSERA_DATA_DIR", () => {
    const previous = process.env.TESSERA_DATA_DIR;
    process.env.TESSERA_DATA_DIR = path.join(root, "data-dir");
    try {
      expect(secretsFilePath({})).toBe(path.join(root, "data-dir", "secrets.json"));
      const file = secretsFilePath({});
      writeFileSync(file, "{}", { mode: 0o644 });
      chmodSync(file, 0o644);
      expect(() => loadSecrets(NO_SECRETS, { generate: true })).toThrow(`chmod 600 ${file}`);
    } finally {
      if (previous === undefined) delete process.env.TESSERA_DATA_DIR;
      else process.env.TESSERA_DATA_DIR = previous;
    }
  });
});
