import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import type { TokenView } from "@/lib/pat/token-view";
import { formatDate, formatDateTime, formatRelativeTime } from "@/lib/ui/format";
import { plural } from "@/lib/ui/plural";
import { STATUS_TONE, statusDetail } from "./token-status";

function Fact({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div className="space-y-0.5">
      <dt className="text-xs font-medium uppercase tracking-wide text-gray-500 dark:text-gray-400">{term}</dt>
      <dd className="text-sm text-gray-900 dark:text-gray-100">{children}</dd>
    </div>
  );
}

/** A token's facts, GitHub-style: status, scopes in words, dates, the last addresses. Never its value. */
export function TokenDetails({ token, scopes }: { token: TokenView; scopes: { scope: string; description: string }[] }) {
  return (
    <div className="grid gap-6 md:grid-cols-2">
      <Card>
        <CardHeader>
          <CardTitle>About this token</CardTitle>
        </CardHeader>
        <CardContent>
          <dl className="space-y-4" data-testid="token-facts">
            <Fact term="Status">
              <Badge tone={STATUS_TONE[token.status]}>{token.status}</Badge> <span className="text-gray-600 dark:text-gray-400">{statusDetail(token)}</span>
            </Fact>
            <Fact term={token.status === "active" ? "Expires" : "Expiry"}>
              <time dateTime={token.expiresAt} title={formatDateTime(token.expiresAt)}>
                {formatDate(token.expiresAt)}
              </time>
            </Fact>
            <Fact term="Created">
              <time dateTime={token.createdAt} title={formatDateTime(token.createdAt)}>
                {formatDate(token.createdAt)} ({formatRelativeTime(token.createdAt)})
              </time>
            </Fact>
            <Fact term="Last used">
              {token.lastUsedAt ? (
                <time dateTime={token.lastUsedAt} title={formatDateTime(token.lastUsedAt)}>
                  {formatRelativeTime(token.lastUsedAt)}
                  {token.lastUsedIp ? ` from ${token.lastUsedIp}` : ""}
                </time>
              ) : (
                "Never used"
              )}
            </Fact>
            <Fact term="Looks like">
              <code className="font-mono text-xs [overflow-wrap:anywhere]">{token.tokenHint}</code>
            </Fact>
          </dl>
        </CardContent>
      </Card>
      <div className="space-y-6">
        <Card>
          <CardHeader>
            <CardTitle>What it can do</CardTitle>
          </CardHeader>
          <CardContent>
            <ul className="space-y-2 text-sm" data-testid="token-scopes">
              {scopes.map(({ scope, description }) => (
                <li key={scope}>
                  <span className="text-gray-900 dark:text-gray-100">{description}</span>{" "}
                  <code className="font-mono text-xs text-gray-500 dark:text-gray-400">{scope}</code>
                </li>
              ))}
            </ul>
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Recent addresses</CardTitle>
          </CardHeader>
          <CardContent>
            {token.recentClients.length === 0 ? (
              <p className="text-sm text-gray-600 dark:text-gray-400">No client has used this token yet.</p>
            ) : (
              <>
                <p className="mb-2 text-sm text-gray-600 dark:text-gray-400">
                  The last {plural(token.recentClients.length, "address", "addresses")} that used it, newest first. One you do not recognise? Revoke the token.
                </p>
                <ul className="space-y-1 text-sm" data-testid="token-recent-clients">
                  {token.recentClients.map((client) => (
                    <li key={client.ip} className="flex flex-wrap justify-between gap-x-3">
                      <code className="font-mono [overflow-wrap:anywhere]">{client.ip}</code>
                      <time dateTime={client.at} title={formatDateTime(client.at)} className="text-gray-600 dark:text-gray-400">
                        {formatRelativeTime(client.at)}
                      </time>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </CardContent>
        </Card>
      </div>
    </div>
  );
}
