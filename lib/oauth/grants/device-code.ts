import { admitAppTokenRequest, countAppTokenOutcome } from "@/lib/oauth-apps/app-token-limits";
import { pollDeviceAuthorization } from "@/lib/oauth-apps/device-authorization-poll";
import { asDocumented } from "@/lib/http/as-documented";
import { AccessDenied, AuthorizationPending, ExpiredToken, InvalidGrant, InvalidRequest, oauthJson, RateLimited, SlowDown } from "../oauth-error";
import { appTokenSchema } from "../oauth-schemas";
import type { ApplicationGrant } from "./token-grant";

export const DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

/**
 * RFC 8628 §3.4: a device polls with its device code until the person decides at /device. The limits of
 * app-token-limits.ts apply as for the other application grants, except that a pending poll counts as
 * a success: it presented a real device code of this client, and a CLI polling every 5 s for minutes
 * must not fill its address's failed-grant bucket (a few logins behind one NAT would get 429).
 */
export const deviceCodeGrant: ApplicationGrant = {
  clientKind: "application",
  async run({ application: app }, form, ip) {
    const wait = await admitAppTokenRequest(app, ip);
    if (wait) throw new RateLimited(wait);
    const result = await pollDeviceAuthorization(app, form.get("device_code"));
    await countAppTokenOutcome(app, ip, result.ok || (result.error !== "invalid_request" && result.error !== "invalid_grant"));
    if (result.ok) {
      return oauthJson(
        asDocumented(appTokenSchema, {
          access_token: result.accessToken,
          token_type: "Bearer",
          expires_in: result.expiresIn,
          refresh_token: result.refreshToken,
          scope: result.scopes.join(" "),
        }),
      );
    }
    switch (result.error) {
      case "invalid_request":
        throw new InvalidRequest(result.description);
      case "invalid_grant":
        throw new InvalidGrant(result.description);
      case "authorization_pending":
        throw new AuthorizationPending();
      case "slow_down":
        throw new SlowDown(result.interval);
      case "expired_token":
        throw new ExpiredToken();
      case "access_denied":
        throw new AccessDenied();
    }
  },
};
