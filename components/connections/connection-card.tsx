import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { SubmitButton } from "@/components/ui/submit-button";
import type { AssistantUsage } from "@/lib/connections/list-assistant-usage";
import type { ConnectionView } from "@/lib/connections/list-connections";
import type { ServiceUsage } from "@/lib/service-clients/list-service-usage";
import { ServiceUsageList } from "./service-usage-list";
import { describeTokenNames } from "@/lib/ui/describe-token-names";
import { formatDate, formatRelativeTime } from "@/lib/ui/format";

type Action = (formData: FormData) => Promise<void>;

const BADGES = {
  api_access: { tone: "green", text: "Connected with API access" },
  linked: { tone: "gray", text: "Linked" },
  needs_reconnect: { tone: "amber", text: "Needs reconnect" },
  revocation_pending: { tone: "amber", text: "Being revoked" },
  revocation_failed: { tone: "red", text: "Revocation failed" },
  not_linked: { tone: "gray", text: "Not linked" },
} as const;

export function ConnectionCard({
  connection,
  disconnectAction,
  reconnectAction,
  linkAction,
  connectAction,
  services = [],
  assistants = [],
  blockAction,
}: {
  connection: ConnectionView;
  disconnectAction: Action;
  reconnectAction: Action;
  linkAction: Action;
  /** Tessera's own connect flow (issue 23): connect-only providers, and more scopes on any enabled one. */
  connectAction: Action;
  /** Services that obtained this token in the last 30 days (and those the person blocked). */
  services?: ServiceUsage[];
  /** AI assistants (MCP clients) that called this provider for the person in the last 30 days. */
  assistants?: AssistantUsage[];
  blockAction?: Action;
}) {
  const connectOnly = connection.use === "connect";
  const badge = connectOnly && connection.status === "not_linked" ? { tone: "gray" as const, text: "Not connected" } : BADGES[connection.status];
  const hidden = { provider: connection.provider };
  return (
    <Card data-testid={`connection-${connection.provider}`}>
      <CardHeader>
        <CardTitle>{connection.label}</CardTitle>
        <CardDescription>
          <Badge tone={badge.tone} data-testid="connection-status">
            {badge.text}
          </Badge>
        </CardDescription>
      </CardHeader>
      <CardContent className="space-y-2 text-sm text-gray-700 dark:text-gray-300">
        {connection.status === "needs_reconnect" ? (
          <p className="text-amber-800 dark:text-amber-200">
            Tessera can no longer act for you here: {connection.reconnectReason ?? "the grant is no longer valid"}
            {connection.reconnectRequiredAt ? ` (${formatRelativeTime(connection.reconnectRequiredAt)})` : ""}. Reconnect to restore API access.
          </p>
        ) : null}
        {connection.revocation ? (
          <p className="text-amber-800 dark:text-amber-200" data-testid="connection-revocation">
            An administrator revoked Tessera&apos;s access here. Tessera no longer uses these tokens; it keeps them only until {connection.label} confirms the
            revocation{connection.revocation.error ? ` (last attempt: ${connection.revocation.error})` : ""}.
          </p>
        ) : null}
        {connection.accountId && connection.status !== "not_linked" ? (
          <p data-testid="connection-account">
            Your {connection.label} account: <span className="font-mono [overflow-wrap:anywhere]">{connection.accountId}</span>
          </p>
        ) : null}
        {connection.status === "api_access" ? (
          <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-1">
            <dt className="text-gray-500 dark:text-gray-400">Permissions</dt>
            <dd data-testid="connection-scopes" className="break-all">
              {connection.scopes.length ? connection.scopes.join(", ") : "—"}
            </dd>
            <dt className="text-gray-500 dark:text-gray-400">Tessera holds</dt>
            <dd data-testid="connection-stored">{describeTokenNames(connection.tokenNames)}</dd>
            <dt className="text-gray-500 dark:text-gray-400">Access</dt>
            <dd>{connection.expiresAt ? `expires ${formatRelativeTime(connection.expiresAt)} (${formatDate(connection.expiresAt)})` : "does not expire"}</dd>
            <dt className="text-gray-500 dark:text-gray-400">Last refresh</dt>
            <dd>{connection.lastRefreshedAt ? formatRelativeTime(connection.lastRefreshedAt) : "not yet"}</dd>
          </dl>
        ) : null}
        {connection.status === "api_access" || services.length > 0 ? (
          <div className="space-y-1 border-t border-gray-100 dark:border-gray-800 pt-2">
            <p className="text-gray-500 dark:text-gray-400">Services that used your {connection.label} access (last 30 days)</p>
            <ServiceUsageList provider={connection.provider} label={connection.label} services={services} blockAction={blockAction} />
          </div>
        ) : null}
        {assistants.length > 0 ? (
          <div className="space-y-1 border-t border-gray-100 dark:border-gray-800 pt-2" data-testid="assistant-usage">
            <p className="text-gray-500 dark:text-gray-400">Assistants (MCP) that used your access here (last 30 days)</p>
            <ul className="space-y-1">
              {assistants.map((assistant) => (
                <li key={assistant.applicationId}>
                  <span className="font-medium">{assistant.name}</span> · {assistant.calls === 1 ? "1 call" : `${assistant.calls} calls`} · last{" "}
                  {formatRelativeTime(assistant.lastAt)}
                </li>
              ))}
            </ul>
            <a className="text-sm underline" href="/settings/applications/authorized">
              Manage or revoke assistants
            </a>
          </div>
        ) : null}
        {connection.status === "linked" ? <p>You can sign in with {connection.label}; Tessera holds no API access there.</p> : null}
        {connection.status === "not_linked" ? (
          <p>
            {connectOnly ? `Connect ${connection.label} to let services and assistants you allow act for you there.` : "Not linked to your Tessera account."}
          </p>
        ) : null}
        {!connection.enabled ? <p className="text-gray-500 dark:text-gray-400">{connection.label} is not enabled on this server.</p> : null}
      </CardContent>
      <CardFooter className="flex flex-wrap gap-2">
        {connection.status === "api_access" ? (
          <ConfirmDialog
            triggerLabel="Disconnect API access"
            title={`Disconnect API access to ${connection.label}?`}
            description={`Tessera deletes the stored ${connection.label} tokens and revokes them at ${connection.label} where possible. Jobs acting for you there will stop. You can still sign in with ${connection.label}.`}
            confirmLabel="Disconnect"
            action={disconnectAction}
            hiddenFields={hidden}
          />
        ) : null}
        {connection.enabled && connectOnly && (connection.status === "not_linked" || connection.status === "needs_reconnect") ? (
          <form action={connectAction}>
            <input type="hidden" name="provider" value={connection.provider} />
            <SubmitButton size="sm" variant={connection.status === "not_linked" ? "secondary" : undefined}>
              {connection.status === "not_linked" ? `Connect ${connection.label}` : "Reconnect"}
            </SubmitButton>
          </form>
        ) : null}
        {connection.enabled && !connectOnly && (connection.status === "needs_reconnect" || connection.status === "linked") ? (
          <form action={reconnectAction}>
            <input type="hidden" name="provider" value={connection.provider} />
            <SubmitButton size="sm">Reconnect</SubmitButton>
          </form>
        ) : null}
        {connection.enabled && connection.status === "api_access" ? (
          <details className="w-full text-sm">
            <summary className="cursor-pointer text-gray-700 dark:text-gray-300">Ask {connection.label} for more access</summary>
            <form action={connectAction} className="mt-2 flex flex-wrap items-end gap-2">
              <input type="hidden" name="provider" value={connection.provider} />
              <label className="flex min-w-0 flex-1 flex-col gap-1">
                <span className="text-gray-500 dark:text-gray-400">Scopes to add (separated by spaces)</span>
                <input
                  name="scopes"
                  required
                  maxLength={500}
                  className="rounded-md border border-gray-300 dark:border-gray-700 px-2 py-1"
                  data-testid="connect-scopes"
                />
              </label>
              <SubmitButton size="sm" variant="secondary">
                Continue to {connection.label}
              </SubmitButton>
            </form>
          </details>
        ) : null}
        {connection.enabled && !connectOnly && connection.status === "not_linked" ? (
          <form action={linkAction}>
            <input type="hidden" name="provider" value={connection.provider} />
            <SubmitButton size="sm" variant="secondary">
              Link {connection.label}
            </SubmitButton>
          </form>
        ) : null}
      </CardFooter>
    </Card>
  );
}
