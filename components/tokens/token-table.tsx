import { Badge } from "@/components/ui/badge";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { TokenView } from "@/lib/pat/token-view";
import { formatDaysUntil, formatRelativeTime } from "@/lib/ui/format";

const STATUS_TONE = { active: "green", expired: "gray", revoked: "red" } as const;

export function TokenTable({
  tokens,
  revokeAction,
  extraHiddenFields = {},
}: {
  tokens: TokenView[];
  revokeAction?: (formData: FormData) => Promise<void>;
  extraHiddenFields?: Record<string, string>;
}) {
  return (
    <Table>
      <THead>
        <TR>
          <TH>Name</TH>
          <TH>Scopes</TH>
          <TH>Status</TH>
          <TH>Last used</TH>
          {revokeAction ? <TH>
            <span className="sr-only">Actions</span>
          </TH> : null}
        </TR>
      </THead>
      <TBody>
        {tokens.map((token) => (
          <TR key={token.id} data-testid={`token-row-${token.name}`}>
            <TD>
              <div className="font-medium">{token.name}</div>
              <div className="font-mono text-xs text-gray-500">{token.tokenHint}</div>
            </TD>
            <TD className="font-mono text-xs">{token.scopes.join(" ")}</TD>
            <TD>
              <Badge tone={STATUS_TONE[token.status]}>{token.status}</Badge>
              <div className="text-xs text-gray-500">
                {token.status === "revoked" && token.revokedAt ? `revoked ${formatRelativeTime(new Date(token.revokedAt))}` : formatDaysUntil(new Date(token.expiresAt))}
              </div>
            </TD>
            <TD className="text-sm">
              {token.lastUsedAt ? `${formatRelativeTime(new Date(token.lastUsedAt))}${token.lastUsedIp ? ` from ${token.lastUsedIp}` : ""}` : "never used"}
            </TD>
            {revokeAction ? (
              <TD>
                {token.status === "active" ? (
                  <ConfirmDialog
                    triggerLabel="Revoke"
                    title={`Revoke “${token.name}”?`}
                    description="Scripts using this token stop working on their next request. This cannot be undone."
                    confirmLabel="Revoke token"
                    action={revokeAction}
                    hiddenFields={{ ...extraHiddenFields, tokenId: token.id }}
                  />
                ) : null}
              </TD>
            ) : null}
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
