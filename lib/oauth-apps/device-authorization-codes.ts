import { randomInt } from "node:crypto";
import { isBase62, randomBase62 } from "@/lib/crypto";
import { hashAppSecret } from "./app-secrets";

/*
 * The two codes of an RFC 8628 device authorization. The device code is held by the device only and is as
 * strong as an authorization code. The user code is typed by a person, so it is short and drawn from 20
 * consonants (§6.1: no vowels, so no words, and no 0/O or 1/I to confuse), 8 of them: 20^8 ≈ 2.6·10^10,
 * with wrong guesses rate-limited at /device. Both are stored only as HMACs (hashAppSecret).
 */

export const USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";
const USER_CODE_LENGTH = 8;

/** 32 random bytes in base62 (43 characters), like an authorization code. */
export const generateDeviceCode = () => randomBase62(32);

export const isDeviceCode = (raw: string) => raw.length === 43 && isBase62(raw);

/** `XXXX-XXXX`: the form shown to the person and sent to the device. */
export function generateUserCode(): string {
  const chars = Array.from({ length: USER_CODE_LENGTH }, () => USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)]);
  return `${chars.slice(0, 4).join("")}-${chars.slice(4).join("")}`;
}

/**
 * What a person typed, in the stored form: upper case, without dashes and spaces (§6.1: compared
 * case-insensitively, punctuation ignored). Null when it cannot be a user code at all.
 */
export function normalizeUserCode(raw: string): string | null {
  if (raw.length > 32) return null;
  const code = raw.toUpperCase().replace(/[\s-]/g, "");
  if (code.length !== USER_CODE_LENGTH || [...code].some((char) => !USER_CODE_ALPHABET.includes(char))) return null;
  return code;
}

/** `BCDFGHJK` → `BCDF-GHJK`. */
export const formatUserCode = (normalized: string) => `${normalized.slice(0, 4)}-${normalized.slice(4)}`;

export const hashUserCode = (normalized: string) => hashAppSecret(normalized);
export const hashDeviceCode = (deviceCode: string) => hashAppSecret(deviceCode);
