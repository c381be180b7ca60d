import { createHash } from "node:crypto";
import { hashCredentialSecret } from "@/lib/access-tokens/hash";
import { APP_SECRET_PREFIX, secretHint } from "@/lib/access-tokens/prefixes";
import { randomBase62 } from "@/lib/crypto";

/*
 * Prefixes, generators, checks and the hash live in lib/access-tokens (issue 21); re-exported here for
 * the many callers in this folder.
 */
export {
  APP_ACCESS_TOKEN_PREFIX,
  APP_CLIENT_ID_PREFIX,
  APP_REFRESH_TOKEN_PREFIX,
  APP_SECRET_PREFIX,
  generateAppAccessToken,
  generateAppClientId,
  generateAppRefreshToken,
  generateAppSecret,
  isAppAccessToken,
  isAppClientId,
  isAppRefreshToken,
  isAppSecret,
} from "@/lib/access-tokens/prefixes";

/** Authorization codes live 60 s and are never typed: 32 random bytes, no prefix, no checksum. */
export const generateAuthorizationCode = () => randomBase62(32);

/** Same HMAC and pepper as PATs (PAT_HASH_PEPPER) for secrets, codes and tokens. */
export const hashAppSecret = (secret: string) => hashCredentialSecret(secret);

/** What lists show: the last four characters (checksum, not random part). */
export const appSecretHint = (secret: string) => secretHint(APP_SECRET_PREFIX, secret);

/** RFC 7636 S256: BASE64URL(SHA256(ASCII(code_verifier))). */
export const s256 = (verifier: string) => createHash("sha256").update(verifier, "ascii").digest("base64url");

/** RFC 7636 §4.1: 43–128 unreserved characters. */
export const isCodeVerifier = (raw: unknown): raw is string => typeof raw === "string" && /^[A-Za-z0-9\-._~]{43,128}$/.test(raw);
/** An S256 challenge is exactly a base64url SHA-256 digest: 43 characters. */
export const isS256Challenge = (raw: unknown): raw is string => typeof raw === "string" && /^[A-Za-z0-9\-_]{43}$/.test(raw);
