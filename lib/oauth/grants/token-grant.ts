import type { AppGrantResult } from "@/lib/oauth-apps/exchange-authorization-code";
import type { AuthenticatedApplication } from "@/lib/oauth-apps/authenticate-application";
import type { ExchangeTarget } from "@/lib/service-clients/authenticate-service-client";
import { admitAppTokenRequest, countAppTokenOutcome } from "@/lib/oauth-apps/app-token-limits";
import { asDocumented } from "@/lib/http/as-documented";
import type { AuthenticatedClient } from "../authenticate-client";
import { oauthErrorFor, oauthJson, RateLimited } from "../oauth-error";
import { appTokenSchema } from "../oauth-schemas";

export type ServiceCaller = Extract<AuthenticatedClient, { kind: "service" }>;
type Form = Map<string, string>;
/** What a grant may need about the request besides its form: the issuer a `resource` URL must be on (RFC 8707). */
export type GrantContext = { issuer: string };

/**
 * A grant of the token endpoint, for the one kind of client that may use it. `readAlong`: what the grant will read,
 * when the client's own statement can read it too (the token exchange's steady state, issue 26); the grant finds it
 * on `caller.exchange`.
 */
export type ServiceGrant = {
  clientKind: "service";
  run(caller: ServiceCaller, form: Form, ip: string | null, context: GrantContext): Promise<Response>;
  readAlong?(form: Form, clientId: string, ip: string | null): ExchangeTarget | null;
};
export type ApplicationGrant = {
  clientKind: "application";
  run(caller: Extract<AuthenticatedClient, { kind: "application" }>, form: Form, ip: string | null, context: GrantContext): Promise<Response>;
};
export type TokenGrant = ServiceGrant | ApplicationGrant;

/** A service client's grant: its call was counted as it authenticated, so over its limit it is 429 before the grant runs. */
export function serviceGrant(run: ServiceGrant["run"], readAlong?: ServiceGrant["readAlong"]): ServiceGrant {
  return {
    clientKind: "service",
    ...(readAlong ? { readAlong } : {}),
    async run(caller, form, ip, context) {
      if (caller.retryAfterSeconds) throw new RateLimited(caller.retryAfterSeconds);
      return run(caller, form, ip, context);
    },
  };
}

/**
 * An application's grant: the limits of lib/oauth-apps/app-token-limits.ts around it (a public app's
 * junk from one address never spends its real users' budget) and the token response both share.
 */
export function applicationGrant(
  run: (app: AuthenticatedApplication, form: Form, ip: string | null, context: GrantContext) => Promise<AppGrantResult>,
): ApplicationGrant {
  return {
    clientKind: "application",
    async run({ application: app }, form, ip, context) {
      const wait = await admitAppTokenRequest(app, ip);
      if (wait) throw new RateLimited(wait);
      const result = await run(app, form, ip, context);
      await countAppTokenOutcome(app, ip, result.ok);
      if (!result.ok) throw oauthErrorFor(result);
      return oauthJson(
        asDocumented(appTokenSchema, {
          access_token: result.accessToken,
          token_type: "Bearer",
          expires_in: result.expiresIn,
          refresh_token: result.refreshToken,
          scope: result.scopes.join(" "),
        }),
      );
    },
  };
}
