/*
 * lib/access-tokens: the only module that knows Tessera's credential prefixes, their checksum, the
 * pepper and the hash, and the one verifier (verifyCredential). It sits below lib/pat, lib/oauth-apps
 * and lib/service-clients and imports none of them; they import it.
 */
export * from "./prefixes";
export * from "./pat-format";
export { getTokenPepper } from "./pepper";
export { hashCredentialSecret, hashPresentedSecret, presentedSecret } from "./hash";
export { classifyCredential, CREDENTIAL_KINDS, type ClassifiedCredential, type CredentialKind, type FormatFailure } from "./classify";
export * from "./verify-credential";
