import { generateChecksummedSecret, hashSecret, isChecksummedSecret, randomBase62 } from "@/lib/crypto";
import { getPatPepper } from "@/lib/pat/pat-pepper";

export const CLIENT_ID_PREFIX = "tsr_svc_";
export const CLIENT_SECRET_PREFIX = "tsr_cs_";
export const SERVICE_TOKEN_PREFIX = "tsr_sat_";

/** Public, so no checksum: 16 random bytes are enough to be unguessable and unique. */
export const generateClientId = () => CLIENT_ID_PREFIX + randomBase62(16);
export const generateClientSecret = () => generateChecksummedSecret(CLIENT_SECRET_PREFIX);
export const generateServiceToken = () => generateChecksummedSecret(SERVICE_TOKEN_PREFIX);
export const isClientSecret = (raw: unknown): raw is string => isChecksummedSecret(raw, CLIENT_SECRET_PREFIX);
export const isServiceToken = (raw: unknown): raw is string => isChecksummedSecret(raw, SERVICE_TOKEN_PREFIX);

/** Same HMAC and pepper as PATs (PAT_HASH_PEPPER): a leaked table alone cannot test guesses. */
export const hashServiceSecret = (secret: string) => hashSecret(secret, getPatPepper());

/** What lists show: the last four characters (checksum, not random part). */
export const secretHint = (secret: string) => `${CLIENT_SECRET_PREFIX}…${secret.slice(-4)}`;
