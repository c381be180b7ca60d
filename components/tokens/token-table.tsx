import { Badge } from "@/components/ui/badge";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { TokenView } from "@/lib/pat/token-view";
import { formatRelativeTime } from "@/lib/ui/format";
import Link from "next/link";
import { STATUS_TONE, statusDetail } from "./token-status";
import { RegenerateTokenDialog } from "./regenerate-token-dialog";

function LastUsed({ token }: { token: TokenView }) {
  if (!token.lastUsedAt) return <>never used</>;
  return (
    <div>
      <div>{`${formatRelativeTime(new Date(token.lastUsedAt))}${token.lastUsedIp ? ` from ${token.lastUsedIp}` : ""}`}</div>
      {token.recentClients.length ? (
        <details className="text-xs text-gray-600 dark:text-gray-400" data-testid="recent-clients">
          <summary className="cursor-pointer">
            Last {token.recentClients.length} address{token.recentClients.length === 1 ? "" : "es"}
          </summary>
          <ul className="mt-1 space-y-0.5 font-mono">
            {token.recentClients.map((client) => (
              <li key={client.ip}>
                {client.ip} <span className="font-sans text-gray-500 dark:text-gray-400">{formatRelativeTime(new Date(client.at))}</span>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

export function TokenTable({
  tokens,
  revokeAction,
  extraHiddenFields = {},
  regenerateOrigin,
  linkToDetails = false,
}: {
  tokens: TokenView[];
  revokeAction?: (formData: FormData) => Promise<void>;
  extraHiddenFields?: Record<string, string>;
  /** Set on the owner's own page only: "Regenerate" shows the new value, which only the owner may see. */
  regenerateOrigin?: string;
  /** The owner's own list: each name links to the token's detail page. */
  linkToDetails?: boolean;
}) {
  return (
    <Table label="Personal access tokens">
      <THead>
        <TR>
          <TH>Name</TH>
          <TH>Scopes</TH>
          <TH>Status</TH>
          <TH>Last used</TH>
          {revokeAction ? (
            <TH>
              <span className="sr-only">Actions</span>
            </TH>
          ) : null}
        </TR>
      </THead>
      <TBody>
        {tokens.map((token) => (
          <TR key={token.id} data-testid={`token-row-${token.name}`}>
            <TD>
              <div className="font-medium [overflow-wrap:anywhere]">
                {linkToDetails ? (
                  <Link href={`/settings/tokens/${token.id}`} className="text-indigo-700 dark:text-indigo-300 underline-offset-2 hover:underline">
                    {token.name}
                  </Link>
                ) : (
                  token.name
                )}
              </div>
              <div className="font-mono text-xs text-gray-500 dark:text-gray-400">{token.tokenHint}</div>
            </TD>
            <TD label="Scopes" className="font-mono text-xs">
              {token.scopes.join(" ")}
            </TD>
            <TD label="Status">
              <Badge tone={STATUS_TONE[token.status]}>{token.status}</Badge>
              <div className="text-xs text-gray-500 dark:text-gray-400">{statusDetail(token)}</div>
            </TD>
            <TD label="Last used" className="text-sm">
              <LastUsed token={token} />
            </TD>
            {revokeAction ? (
              <TD>
                {token.status === "active" ? (
                  <div className="flex flex-wrap gap-2">
                    {regenerateOrigin && !token.rotatedAt ? (
                      <RegenerateTokenDialog tokenId={token.id} tokenName={token.name} origin={regenerateOrigin} />
                    ) : null}
                    <ConfirmDialog
                      triggerLabel="Revoke"
                      title={`Revoke “${token.name}”?`}
                      description="Scripts using this token stop working on their next request. This cannot be undone."
                      confirmLabel="Revoke token"
                      action={revokeAction}
                      hiddenFields={{ ...extraHiddenFields, tokenId: token.id }}
                    />
                  </div>
                ) : null}
              </TD>
            ) : null}
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
