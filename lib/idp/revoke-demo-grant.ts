import type Provider from "oidc-provider";

/** Ends a whole grant: every access token, refresh token and code issued under it, then the grant itself. */
export async function revokeDemoGrant(provider: Provider, grantId: string): Promise<void> {
  await provider.AccessToken.revokeByGrantId(grantId);
  await provider.RefreshToken.revokeByGrantId(grantId);
  await provider.AuthorizationCode.revokeByGrantId(grantId);
  const grant = await provider.Grant.find(grantId).catch(() => undefined);
  await grant?.destroy();
}
