import { refreshAppTokens } from "@/lib/oauth-apps/refresh-app-tokens";
import { requestedResource } from "./requested-resource";
import { applicationGrant } from "./token-grant";

/** RFC 6749 §6 with rotation: an application trades its refresh token for a new pair. */
export const refreshTokenGrant = applicationGrant((app, form, ip, { issuer }) =>
  refreshAppTokens(app, { refreshToken: form.get("refresh_token"), scope: form.get("scope"), resource: requestedResource(form, issuer) }, ip),
);
