import type { RouteArea } from "../route-doc";
import { adminServicesArea } from "./admin-services";
import { adminUsersArea } from "./admin-users";
import { applicationsArea } from "./applications";
import { credentialsArea } from "./credentials";
import { mcpArea } from "./mcp";
import { oauthArea } from "./oauth";
import { operationsArea } from "./operations";
import { profileArea } from "./profile";
import { proxyArea } from "./proxy";
import { referenceArea } from "./reference";
import { tokensArea } from "./tokens";
import { webhooksArea } from "./webhooks";

/**
 * Every documented route, one file per area; /docs shows the areas in this order. Documenting a new
 * route: add it to its area's file (or a new file listed here). The contract tests
 * (tests/integration/api-reference.test.ts) fail until every route file's methods are here.
 */
export const API_AREAS: RouteArea[] = [
  tokensArea,
  profileArea,
  applicationsArea,
  oauthArea,
  proxyArea,
  mcpArea,
  credentialsArea,
  adminUsersArea,
  adminServicesArea,
  webhooksArea,
  operationsArea,
  referenceArea,
];

/** Route files deliberately left out of the reference, and why (the contract test reads this). */
export const UNDOCUMENTED_ROUTES: Record<string, string> = {
  "/api/auth/[...nextauth]": "Auth.js's own sign-in, callback and sign-out endpoints: browser flows, not an API; their shapes are Auth.js's.",
};
