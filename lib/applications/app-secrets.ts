import { createHash } from "node:crypto";
import { generateChecksummedSecret, hashSecret, isChecksummedSecret, randomBase62 } from "@/lib/crypto";
import { getPatPepper } from "@/lib/pat/pat-pepper";

export const APP_CLIENT_ID_PREFIX = "tsr_app_";
export const APP_SECRET_PREFIX = "tsr_as_";
export const APP_ACCESS_TOKEN_PREFIX = "tsr_oat_";
export const APP_REFRESH_TOKEN_PREFIX = "tsr_ort_";

/** Public, so no checksum: 16 random bytes are unguessable and unique. */
export const generateAppClientId = () => APP_CLIENT_ID_PREFIX + randomBase62(16);
export const generateAppSecret = () => generateChecksummedSecret(APP_SECRET_PREFIX);
export const generateAppAccessToken = () => generateChecksummedSecret(APP_ACCESS_TOKEN_PREFIX);
export const generateAppRefreshToken = () => generateChecksummedSecret(APP_REFRESH_TOKEN_PREFIX);
/** Authorization codes live 60 s and are never typed: 32 random bytes, no prefix, no checksum. */
export const generateAuthorizationCode = () => randomBase62(32);

export const isAppClientId = (raw: unknown): raw is string => typeof raw === "string" && /^tsr_app_[0-9A-Za-z]{22}$/.test(raw);
export const isAppSecret = (raw: unknown): raw is string => isChecksummedSecret(raw, APP_SECRET_PREFIX);
export const isAppAccessToken = (raw: unknown): raw is string => isChecksummedSecret(raw, APP_ACCESS_TOKEN_PREFIX);
export const isAppRefreshToken = (raw: unknown): raw is string => isChecksummedSecret(raw, APP_REFRESH_TOKEN_PREFIX);

/** Same HMAC and pepper as PATs (PAT_HASH_PEPPER) for secrets, codes and tokens. */
export const hashAppSecret = (secret: string) => hashSecret(secret, getPatPepper());

/** What lists show: the last four characters (checksum, not random part). */
export const appSecretHint = (secret: string) => `${APP_SECRET_PREFIX}…${secret.slice(-4)}`;

/** RFC 7636 S256: BASE64URL(SHA256(ASCII(code_verifier))). */
export const s256 = (verifier: string) => createHash("sha256").update(verifier, "ascii").digest("base64url");

/** RFC 7636 §4.1: 43–128 unreserved characters. */
export const isCodeVerifier = (raw: unknown): raw is string => typeof raw === "string" && /^[A-Za-z0-9\-._~]{43,128}$/.test(raw);
/** An S256 challenge is exactly a base64url SHA-256 digest: 43 characters. */
export const isS256Challenge = (raw: unknown): raw is string => typeof raw === "string" && /^[A-Za-z0-9\-_]{43}$/.test(raw);
