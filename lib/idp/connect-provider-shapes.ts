import { createHash } from "node:crypto";
import type { DemoUser } from "./demo-users";
import type { PlayedConnectProvider } from "./list-connect-providers";

/*
 * How each played connect provider shapes its answers, so Tessera reads them with the catalogue entry's own
 * rules (scope separator, account.idPath / namePath). Ids are derived from the login: stable per user and
 * per provider, different between providers, like real accounts.
 */

const digest = (providerId: string, login: string) => createHash("sha256").update(`${providerId}:${login}`).digest("hex");

/** The userinfo answer (and the demo API's `/me`): Slack's auth.test, Atlassian's /me, or `{sub, name}`. */
export function describeConnectAccount(provider: PlayedConnectProvider, user: DemoUser): Record<string, unknown> {
  const hash = digest(provider.id, user.login);
  switch (provider.kind) {
    case "slack":
      return {
        ok: true,
        url: "https://demo-team.slack.com/",
        team: "Demo Team",
        team_id: "T0DEMO0001",
        user: user.login,
        user_id: `U${hash.slice(0, 10).toUpperCase()}`,
      };
    case "atlassian":
      return {
        account_id: `712020:${hash.slice(0, 8)}-${hash.slice(8, 12)}-${hash.slice(12, 16)}-${hash.slice(16, 20)}-${hash.slice(20, 32)}`,
        name: user.name,
        email: user.email,
      };
    case "generic":
      return { sub: hash.slice(0, 24), name: user.name };
  }
}

/** oidc-provider's token answer, re-shaped: scopes joined with the entry's separator (and Slack's `ok`). */
export function shapeConnectTokenAnswer(provider: PlayedConnectProvider, answer: Record<string, unknown>): Record<string, unknown> {
  const scope = typeof answer.scope === "string" ? answer.scope.split(" ").filter(Boolean).join(provider.separator) : undefined;
  const shaped = {
    access_token: answer.access_token,
    token_type: "Bearer",
    expires_in: answer.expires_in,
    refresh_token: answer.refresh_token,
    scope,
  };
  return provider.kind === "slack" ? { ok: true, ...shaped } : shaped;
}

/** A 401 as the provider words it (the demo API and userinfo). */
export function connectUnauthorizedBody(provider: PlayedConnectProvider): Record<string, unknown> {
  switch (provider.kind) {
    case "slack":
      return { ok: false, error: "invalid_auth" };
    case "atlassian":
      return { code: 401, message: "Unauthorized" };
    case "generic":
      return { error: "invalid_token" };
  }
}

/** The one scope-guarded call of each played provider's demo API. */
export type ConnectApiCall = { method: string; path: string; scope: string; answer(user: DemoUser): { status: number; body: unknown } };

export function describeConnectApiCall(provider: PlayedConnectProvider): ConnectApiCall {
  switch (provider.kind) {
    case "slack":
      return {
        method: "GET",
        path: "/conversations.list",
        scope: "channels:read",
        answer: () => ({
          status: 200,
          body: {
            ok: true,
            channels: [
              { id: "C0DEMO0001", name: "general", is_channel: true },
              { id: "C0DEMO0002", name: "random", is_channel: true },
            ],
          },
        }),
      };
    case "atlassian":
      return {
        method: "GET",
        path: "/rest/api/3/project",
        scope: "read:jira-work",
        answer: () => ({ status: 200, body: [{ id: "10000", key: "DEMO", name: "Demo project" }] }),
      };
    case "generic":
      return {
        method: "POST",
        path: "/items",
        scope: "write",
        answer: (user) => ({ status: 201, body: { id: `item-${Date.now().toString(36)}`, owner: user.login, created: true } }),
      };
  }
}
