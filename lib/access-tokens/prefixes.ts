import { generateChecksummedSecret, isChecksummedSecret, randomBase62 } from "@/lib/crypto";

/*
 * Every `tsr_*` credential prefix Tessera issues, and the shapes built on them (GitHub's scheme: a prefix
 * secret scanners can match, 32 random bytes in base62 and a CRC32 checksum, so junk is refused without a
 * query). Public client ids carry no checksum. Webhook signing secrets (`tsr_whsec_`) authenticate nothing
 * to Tessera and stay with lib/webhooks.
 */
export const PAT_PREFIX = "tsr_pat_";
export const SERVICE_CLIENT_ID_PREFIX = "tsr_svc_";
export const SERVICE_CLIENT_SECRET_PREFIX = "tsr_cs_";
export const SERVICE_TOKEN_PREFIX = "tsr_sat_";
export const APP_CLIENT_ID_PREFIX = "tsr_app_";
export const APP_SECRET_PREFIX = "tsr_as_";
export const APP_ACCESS_TOKEN_PREFIX = "tsr_oat_";
export const APP_REFRESH_TOKEN_PREFIX = "tsr_ort_";

/** Public, so no checksum: 16 random bytes are unguessable and unique. */
export const generateServiceClientId = () => SERVICE_CLIENT_ID_PREFIX + randomBase62(16);
export const generateServiceClientSecret = () => generateChecksummedSecret(SERVICE_CLIENT_SECRET_PREFIX);
export const generateServiceToken = () => generateChecksummedSecret(SERVICE_TOKEN_PREFIX);
export const isServiceClientSecret = (raw: unknown): raw is string => isChecksummedSecret(raw, SERVICE_CLIENT_SECRET_PREFIX);
export const isServiceToken = (raw: unknown): raw is string => isChecksummedSecret(raw, SERVICE_TOKEN_PREFIX);

export const generateAppClientId = () => APP_CLIENT_ID_PREFIX + randomBase62(16);
export const generateAppSecret = () => generateChecksummedSecret(APP_SECRET_PREFIX);
export const generateAppAccessToken = () => generateChecksummedSecret(APP_ACCESS_TOKEN_PREFIX);
export const generateAppRefreshToken = () => generateChecksummedSecret(APP_REFRESH_TOKEN_PREFIX);
export const isAppClientId = (raw: unknown): raw is string => typeof raw === "string" && /^tsr_app_[0-9A-Za-z]{22}$/.test(raw);
export const isAppSecret = (raw: unknown): raw is string => isChecksummedSecret(raw, APP_SECRET_PREFIX);
export const isAppAccessToken = (raw: unknown): raw is string => isChecksummedSecret(raw, APP_ACCESS_TOKEN_PREFIX);
export const isAppRefreshToken = (raw: unknown): raw is string => isChecksummedSecret(raw, APP_REFRESH_TOKEN_PREFIX);

/** What lists show: the prefix and the last four characters (checksum, not random part). */
export const secretHint = (prefix: string, secret: string) => `${prefix}…${secret.slice(-4)}`;
