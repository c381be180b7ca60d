import { getTokenKeyring } from "@/lib/config/token-keyring";
import { DecryptionError, decryptField, encryptField } from "@/lib/crypto";
import type { IssuedAppTokens } from "./issue-app-tokens";

/*
 * The token response a used refresh token was traded for, sealed on its row for the reuse window
 * (TESSERA_REFRESH_REUSE_WINDOW_SECONDS). Bound to that row and column, so a ciphertext copied onto
 * another refresh token does not open.
 */
const context = (refreshTokenId: string) => ({ table: "OAuthRefreshToken", rowId: refreshTokenId, field: "replayCiphertext" });

export function sealRefreshReplay(refreshTokenId: string, tokens: IssuedAppTokens, keyring = getTokenKeyring()): string {
  const { accessToken, refreshToken, expiresIn, scopes } = tokens;
  return encryptField(keyring, JSON.stringify({ accessToken, refreshToken, expiresIn, scopes }), context(refreshTokenId));
}

/** The sealed response, or null when it does not open (its key was removed) or is not one. */
export function openRefreshReplay(refreshTokenId: string, ciphertext: string, keyring = getTokenKeyring()): IssuedAppTokens | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(decryptField(keyring, ciphertext, context(refreshTokenId)));
  } catch (error) {
    if (error instanceof DecryptionError || error instanceof SyntaxError) return null;
    throw error;
  }
  const value = parsed as Partial<IssuedAppTokens> | null;
  if (
    typeof value?.accessToken !== "string" ||
    typeof value.refreshToken !== "string" ||
    typeof value.expiresIn !== "number" ||
    !Array.isArray(value.scopes) ||
    !value.scopes.every((scope) => typeof scope === "string")
  ) {
    return null;
  }
  return { accessToken: value.accessToken, refreshToken: value.refreshToken, expiresIn: value.expiresIn, scopes: value.scopes };
}
