import "server-only";
export { Base62Error, encodeBase62, encodeBase62Number, isBase62 } from "./base62";
export { constantTimeEqual, digestsEqual } from "./constant-time-equal";
export { DecryptionError, decryptField, encryptField, isEncryptedUnderActiveKey, keyIdOf, type FieldContext } from "./envelope";
export { HashSecretError, hashSecret } from "./hash-secret";
export { generateKeyringEntry, KEY_ID_PATTERN, KeyringError, parseKeyring, type Keyring } from "./keyring";
export { randomBase62 } from "./random-base62";
export { CHECKSUM_LENGTH, CHECKSUMMED_RANDOM_LENGTH, checksumOf, generateChecksummedSecret, isChecksummedSecret } from "./checksummed-secret";
