import { connectionsResponseSchema } from "@/lib/connections/connection-schemas";
import { meSchema } from "@/lib/pat/token-schemas";
import { defineArea } from "../route-doc";

export const profileArea = defineArea({
  tag: { name: "Profile and connections", description: "Who you are and which providers hold API access for you." },
  routes: [
    {
      method: "GET",
      path: "/api/v1/me",
      access: { kind: "user", scope: "profile:read" },
      operation: {
        operationId: "getMe",
        summary: "Who am I",
        description: "Your profile, and the token that authenticated the request. The first call to try with a new token.",
        responses: { 200: { description: "Your profile.", content: { "application/json": { schema: meSchema } } } },
      },
    },
    {
      method: "GET",
      path: "/api/v1/connections",
      access: { kind: "user", scope: "connections:read" },
      operation: {
        operationId: "listConnections",
        summary: "List your connected providers",
        description: "Providers you linked or that hold API access for you: token names, scopes and expiry, never token values.",
        responses: { 200: { description: "Your connections.", content: { "application/json": { schema: connectionsResponseSchema } } } },
      },
    },
  ],
});
