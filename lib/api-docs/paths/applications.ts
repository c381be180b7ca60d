import { z } from "zod";
import { applicationIdSchema, applicationListSchema, createdApplicationSchema, rotatedApplicationSecretSchema } from "@/lib/oauth-apps/application-schemas";
import { createApplicationSchema } from "@/lib/oauth-apps/create-application";
import { rotateApplicationSecretSchema } from "@/lib/oauth-apps/rotate-application-secret";
import { defineArea, errorResponse, JSON_BODY_ERRORS } from "../route-doc";

const appPath = { path: z.object({ id: applicationIdSchema }) };
const notFound = errorResponse("No application of yours with this id.", ["not_found"]);

export const applicationsArea = defineArea({
  tag: {
    name: "OAuth applications",
    description:
      "Register third-party applications that people authorize with consent (authorization code + PKCE at /oauth/authorize, then `POST /api/oauth/token`). Application access tokens never manage applications or mint PATs.",
  },
  routes: [
    {
      method: "POST",
      path: "/api/applications",
      access: { kind: "user", scope: "applications:write", recentSignIn: true },
      operation: {
        operationId: "createApplication",
        summary: "Register an application",
        description: "A confidential application gets a client secret, in this response only; a public one (SPA, CLI) has none and proves itself with PKCE.",
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: createApplicationSchema,
              example: {
                name: "Acme Notes",
                description: "Notes synced with your calendar",
                homepageUrl: "https://notes.example",
                redirectUris: ["https://notes.example/callback"],
                confidential: true,
              },
            },
          },
        },
        responses: {
          201: {
            description: "Registered. `clientSecret` (confidential applications) is shown here once.",
            content: { "application/json": { schema: createdApplicationSchema } },
          },
          ...JSON_BODY_ERRORS,
          409: errorResponse("You registered the maximum number of applications.", ["too_many_applications"]),
        },
      },
    },
    {
      method: "GET",
      path: "/api/applications",
      access: { kind: "user", scope: "applications:read" },
      operation: {
        operationId: "listApplications",
        summary: "List your applications",
        responses: {
          200: { description: "The applications you registered; never a secret.", content: { "application/json": { schema: applicationListSchema } } },
        },
      },
    },
    {
      method: "DELETE",
      path: "/api/applications/{id}",
      access: { kind: "user", scope: "applications:write" },
      operation: {
        operationId: "deleteApplication",
        summary: "Delete an application",
        description: "Every grant people gave it and every token it holds stop working at once.",
        requestParams: appPath,
        responses: { 204: { description: "Deleted." }, 404: notFound },
      },
    },
    {
      method: "POST",
      path: "/api/applications/{id}/rotate-secret",
      access: { kind: "user", scope: "applications:write", recentSignIn: true },
      operation: {
        operationId: "rotateApplicationSecret",
        summary: "Rotate a confidential application's secret",
        description:
          "Issues a new secret; the previous one keeps working for `overlapSeconds` (default 86400; 0 stops it now). An empty body uses the default.",
        requestParams: appPath,
        requestBody: { required: false, content: { "application/json": { schema: rotateApplicationSecretSchema, example: { overlapSeconds: 3600 } } } },
        responses: {
          200: { description: "The new secret, shown here once.", content: { "application/json": { schema: rotatedApplicationSecretSchema } } },
          ...JSON_BODY_ERRORS,
          400: errorResponse("The body fails validation, or the application is public (it has no secret).", [
            "invalid_request",
            "invalid_json",
            "public_client",
          ]),
          404: notFound,
        },
      },
    },
  ],
});
