import { hashCredentialSecret } from "@/lib/access-tokens/hash";
import {
  generateServiceClientId,
  generateServiceClientSecret,
  isServiceClientSecret,
  SERVICE_CLIENT_ID_PREFIX,
  SERVICE_CLIENT_SECRET_PREFIX,
  secretHint as hintFor,
} from "@/lib/access-tokens/prefixes";

/* Prefixes, generators, checks and the hash live in lib/access-tokens (issue 21); these names stay for their callers. */
export { generateServiceToken, isServiceToken, SERVICE_TOKEN_PREFIX } from "@/lib/access-tokens/prefixes";
export const CLIENT_ID_PREFIX = SERVICE_CLIENT_ID_PREFIX;
export const CLIENT_SECRET_PREFIX = SERVICE_CLIENT_SECRET_PREFIX;
export const generateClientId = generateServiceClientId;
export const generateClientSecret = generateServiceClientSecret;
export const isClientSecret = isServiceClientSecret;

/** Same HMAC and pepper as PATs (PAT_HASH_PEPPER): a leaked table alone cannot test guesses. */
export const hashServiceSecret = (secret: string) => hashCredentialSecret(secret);

/** What lists show: the last four characters (checksum, not random part). */
export const secretHint = (secret: string) => hintFor(CLIENT_SECRET_PREFIX, secret);
