import { DEMO_CONNECT_PROVIDER_IDS, demoConnectClientId } from "@/lib/providers/demo-connect";
import { findCatalogueEntry, PROVIDER_IDS } from "@/lib/providers/catalog";
import { DemoIdpError } from "./demo-idp-error";

/*
 * The connect-only providers the demo IdP plays (issue 23 §4): the shipped Slack and Atlassian entries, plus
 * generic ids an operator or a test names (`connectProviders`), each with its own oidc-provider client.
 */

export type ConnectProviderKind = "slack" | "atlassian" | "generic";

export type PlayedConnectProvider = {
  id: string;
  kind: ConnectProviderKind;
  /** `tessera-demo-<id>` (lib/providers/demo-connect.ts). */
  clientId: string;
  /** How the entry joins scopes in requests and answers: "," for Slack, " " otherwise. */
  separator: " " | ",";
  /** Scopes the played provider grants; anything else asked for is invalid_scope. */
  scopes: readonly string[];
  revocation: "bearer" | "rfc7009" | "unsupported";
  /** Shown on the demo IdP's sign-in and consent pages. */
  displayName: string;
};

const ID = /^[a-z][a-z0-9-]{0,38}[a-z0-9]$/;

const SHIPPED: Record<(typeof DEMO_CONNECT_PROVIDER_IDS)[number], Pick<PlayedConnectProvider, "kind" | "scopes">> = {
  slack: { kind: "slack", scopes: ["users:read", "channels:read", "chat:write", "channels:history"] },
  atlassian: { kind: "atlassian", scopes: ["read:me", "offline_access", "read:jira-work", "write:jira-work", "read:confluence-content.all"] },
};
const GENERIC_SCOPES = ["read", "write", "profile"];

/** Slack, Atlassian and every extra generic id; a malformed or clashing extra id is refused at start. */
export function listConnectProviders(extraIds: readonly string[] = []): PlayedConnectProvider[] {
  const played = DEMO_CONNECT_PROVIDER_IDS.map((id): PlayedConnectProvider => {
    const entry = findCatalogueEntry(id, {});
    // The shipped catalogue says how the real provider joins scopes and revokes; the demo answers the same way.
    const revocation = entry?.revocation.kind ?? "rfc7009";
    return {
      id,
      ...SHIPPED[id],
      clientId: demoConnectClientId(id),
      separator: entry?.scopeSeparator ?? " ",
      revocation: revocation === "github" ? "rfc7009" : revocation,
      displayName: entry?.displayName ?? id,
    };
  });
  for (const id of new Set(extraIds)) {
    if (!ID.test(id) || id.includes("--")) throw new DemoIdpError("invalid_options", `connectProviders entry is not a provider id: ${id}`);
    if (played.some((provider) => provider.id === id) || (PROVIDER_IDS as readonly string[]).includes(id)) {
      throw new DemoIdpError("invalid_options", `connectProviders entry is already played: ${id}`);
    }
    played.push({ id, kind: "generic", clientId: demoConnectClientId(id), separator: " ", scopes: GENERIC_SCOPES, revocation: "rfc7009", displayName: id });
  }
  return played;
}
