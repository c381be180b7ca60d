import { z } from "zod";
import { createServiceClientSchema } from "@/lib/service-clients/create-service-client";
import { rotateServiceSecretSchema } from "@/lib/service-clients/rotate-service-secret";
import {
  createdServiceClientSchema,
  rotatedServiceSecretSchema,
  serviceClientListSchema,
  serviceClientSchema,
} from "@/lib/service-clients/service-client-schemas";
import { updateServiceClientSchema } from "@/lib/service-clients/update-service-client";
import { defineArea, errorResponse, JSON_BODY_ERRORS } from "../route-doc";

const ADMIN = { kind: "user", scope: "admin", admin: true } as const;
const servicePath = {
  path: z.object({ id: z.string().max(100).meta({ description: "The service client's id (not its clientId).", example: "cmi2x9k1b0003qk8zq1w2e3r4" }) }),
};
const notFound = errorResponse("No such service client (or you are not an admin).", ["not_found"]);

export const adminServicesArea = defineArea({
  tag: { name: "Admin: service clients", description: "Register the services that obtain people's provider tokens through the token exchange (admins only)." },
  routes: [
    {
      method: "POST",
      path: "/api/admin/services",
      access: { ...ADMIN, recentSignIn: true },
      operation: {
        operationId: "createServiceClient",
        summary: "Register a service client",
        description:
          "The response is the only place the client secret ever appears. `proxyAllow` sets the provider API proxy's allow-list: `METHODS <provider>:<path prefix>` entries such as " +
          "`GET google:/calendar/v3` or `GET,POST github:/repos/acme/issues` (METHODS: GET, HEAD, POST, PUT, PATCH, DELETE, a comma list, or `*`; GET also allows HEAD; an entry without " +
          "METHODS allows GET and HEAD only and is stored as `GET …`). A malformed entry is a 400 naming it. The responses do not repeat the list (it shows on /admin/services).",
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: createServiceClientSchema,
              example: {
                name: "billing-worker",
                permissions: ["credentials:github:read", "proxy:google"],
                rateLimitPerMinute: 600,
                proxyAllow: ["GET google:/oauth2/v3/userinfo", "GET,POST google:/calendar/v3/calendars/primary/events"],
              },
            },
          },
        },
        responses: {
          201: { description: "Registered. `clientSecret` is shown here once.", content: { "application/json": { schema: createdServiceClientSchema } } },
          ...JSON_BODY_ERRORS,
          409: errorResponse("A service with this name exists.", ["name_taken"]),
        },
      },
    },
    {
      method: "GET",
      path: "/api/admin/services",
      access: ADMIN,
      operation: {
        operationId: "listServiceClients",
        summary: "List service clients",
        responses: { 200: { description: "Every service client; never a secret.", content: { "application/json": { schema: serviceClientListSchema } } } },
      },
    },
    {
      method: "PATCH",
      path: "/api/admin/services/{id}",
      access: ADMIN,
      operation: {
        operationId: "updateServiceClient",
        summary: "Disable, enable or change a service client",
        description:
          "Disabling stops its secret at once and revokes every access token already issued to it (re-enabling does not revive them). `proxyAllow` replaces the proxy allow-list with `METHODS <provider>:<path prefix>` entries " +
          "(as on create: an entry without METHODS allows GET and HEAD only and is stored as `GET …`), not repeated in the response.",
        requestParams: servicePath,
        requestBody: { required: true, content: { "application/json": { schema: updateServiceClientSchema, example: { status: "disabled" } } } },
        responses: {
          200: { description: "The updated client.", content: { "application/json": { schema: serviceClientSchema } } },
          ...JSON_BODY_ERRORS,
          404: notFound,
        },
      },
    },
    {
      method: "DELETE",
      path: "/api/admin/services/{id}",
      access: ADMIN,
      operation: {
        operationId: "deleteServiceClient",
        summary: "Delete a service client",
        requestParams: servicePath,
        responses: { 204: { description: "Deleted; its tokens stop working." }, 404: notFound },
      },
    },
    {
      method: "POST",
      path: "/api/admin/services/{id}/rotate-secret",
      access: { ...ADMIN, recentSignIn: true },
      operation: {
        operationId: "rotateServiceSecret",
        summary: "Rotate a service client's secret",
        description:
          "Issues a new secret; the previous one keeps working for `overlapSeconds` (default 86400, at most 7 days; 0 stops it now and revokes every access token already issued to the client; with an overlap, issued tokens live to their 15-minute expiry). An empty body uses the default.",
        requestParams: servicePath,
        requestBody: { required: false, content: { "application/json": { schema: rotateServiceSecretSchema, example: { overlapSeconds: 3600 } } } },
        responses: {
          200: { description: "The new secret, shown here once.", content: { "application/json": { schema: rotatedServiceSecretSchema } } },
          ...JSON_BODY_ERRORS,
          404: notFound,
        },
      },
    },
  ],
});
