import { z } from "zod";

/* RFC 8628's shapes: the device authorization request and response (the token poll answers appTokenSchema). */

export const deviceAuthorizationFormSchema = z
  .object({
    client_id: z.string().meta({
      description:
        "The application's client id (tsr_app_…). A confidential application may send it with client_secret, or authenticate with HTTP Basic instead.",
    }),
    client_secret: z
      .string()
      .optional()
      .meta({ description: "client_secret_post, confidential applications only; never together with an Authorization header." }),
    scope: z.string().optional().meta({ description: "Space-separated API scopes; absent: the application's default scopes.", example: "profile:read" }),
  })
  .meta({ example: { client_id: "tsr_app_…", scope: "profile:read" } });

export const deviceAuthorizationResponseSchema = z
  .object({
    device_code: z
      .string()
      .meta({ description: "What the device polls the token endpoint with (grant_type urn:ietf:params:oauth:grant-type:device_code). Keep it secret." }),
    user_code: z.string().meta({
      description: "What the person types at verification_uri: 8 consonants, shown as XXXX-XXXX (case and dash do not matter).",
      example: "BCDF-GHJK",
    }),
    verification_uri: z.string().meta({ example: "http://localhost:3000/device" }),
    verification_uri_complete: z.string().meta({
      description: "verification_uri with the user code filled in (for a link or QR code); the person still confirms it.",
      example: "http://localhost:3000/device?user_code=BCDF-GHJK",
    }),
    expires_in: z.number().int().meta({ example: 600 }),
    interval: z.number().int().meta({ description: "Seconds to wait between polls; slow_down adds 5.", example: 5 }),
  })
  .meta({ id: "DeviceAuthorization" });
