import type { NextRequest } from "next/server";
import { asDocumented } from "@/lib/http/as-documented";
import { startDeviceAuthorization } from "@/lib/oauth-apps/device-authorization";
import { authenticateClient } from "./authenticate-client";
import { deviceAuthorizationResponseSchema } from "./device-authorization-schemas";
import { InvalidClient, InvalidScope, oauthJson, RateLimited, UnauthorizedClient } from "./oauth-error";
import { readForm } from "./read-form";

/**
 * POST /api/oauth/device_authorization (RFC 8628 §3.1): read the form → authenticate the client as the
 * token endpoint does (a public application by its client_id alone) → start the device authorization.
 * Service clients have no person to act for: unauthorized_client.
 */
export async function handleDeviceAuthorizationRequest(request: NextRequest, context: { issuer: string; ip: string | null }): Promise<Response> {
  const form = await readForm(request);
  const client = await authenticateClient(request, form);
  if (!client) throw new InvalidClient();
  if (client.kind !== "application") throw new UnauthorizedClient("The device flow is for applications (client ids tsr_app_…).");
  const started = await startDeviceAuthorization(client.application, { scope: form.get("scope") }, context);
  if (!started.ok) throw started.error === "rate_limited" ? new RateLimited(started.retryAfterSeconds) : new InvalidScope(started.description);
  return oauthJson(
    asDocumented(deviceAuthorizationResponseSchema, {
      device_code: started.deviceCode,
      user_code: started.userCode,
      verification_uri: started.verificationUri,
      verification_uri_complete: started.verificationUriComplete,
      expires_in: started.expiresIn,
      interval: started.interval,
    }),
  );
}
