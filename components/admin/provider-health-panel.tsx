import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import type { ProviderHealthRow, RefreshWindow } from "@/lib/admin/get-provider-health";
import { providerLabel } from "@/lib/providers/catalog";
import { plural } from "@/lib/ui/plural";

const time = (date: Date) => date.toISOString().slice(11, 16) + " UTC";
const percent = (rate: number | null) => (rate === null ? "—" : `${Math.round(rate * 100)} %`);

function WindowCell({ window, testId }: { window: RefreshWindow; testId: string }) {
  return (
    <td data-testid={testId}>
      {percent(window.successRate)}{" "}
      <span className="text-gray-600 dark:text-gray-400">
        ({window.succeeded} ok / {window.failed} failed)
      </span>
      <div className="text-xs text-gray-600 dark:text-gray-400">
        p95 {window.p95LatencyMs === null ? "—" : `${window.p95LatencyMs.toLocaleString("en")} ms`}
      </div>
    </td>
  );
}

/** Per provider: refresh success and p95 latency (hour, day), backoff, dead grants, the client error; failures first, in words. */
export function ProviderHealthPanel({ rows }: { rows: ProviderHealthRow[] }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>Provider health</CardTitle>
      </CardHeader>
      <CardContent>
        {rows
          .filter((row) => row.alarm)
          .map((row) => (
            <p
              key={row.provider}
              role="alert"
              className="mb-3 rounded-md border border-red-300 dark:border-red-700 bg-red-50 dark:bg-red-950/50 p-2 text-sm text-red-900 dark:text-red-200"
              data-testid={`provider-failing-${row.provider}`}
            >
              <strong>
                {row.clientError && !row.failingSince
                  ? `${providerLabel(row.provider)} refused Tessera's client at ${time(row.clientError.at)}`
                  : `${providerLabel(row.provider)} refreshes are failing since ${time(row.failingSince ?? row.clientError!.at)}`}
              </strong>
              {row.failingConnections ? ` · ${plural(row.failingConnections, "connection")} affected` : ""}
              {row.backingOff.connections ? ` · ${plural(row.backingOff.connections, "connection")} backing off until ${time(row.backingOff.until!)}` : ""}
            </p>
          ))}
        {rows
          .filter((row) => row.deadGrantsLastDay > 0)
          .map((row) => (
            // One person's revoked or expired grant is no outage: said in neutral words, never as an alert (issue 25).
            <p
              key={`dead-${row.provider}`}
              className="mb-3 rounded-md border border-gray-200 dark:border-gray-700 bg-gray-50 dark:bg-gray-800/60 p-2 text-sm text-gray-800 dark:text-gray-200"
              data-testid={`provider-reconnect-${row.provider}`}
            >
              {providerLabel(row.provider)}: {plural(row.deadGrantsLastDay, "connection")} {row.deadGrantsLastDay === 1 ? "needs" : "need"} reconnecting (the
              person&apos;s access was revoked or expired at {providerLabel(row.provider)} in the last 24 hours; they are asked to reconnect).
            </p>
          ))}
        {rows.length === 0 ? (
          <p className="text-sm text-gray-600 dark:text-gray-400">No token refreshes in the last 24 hours.</p>
        ) : (
          // Six columns do not fit a phone: the table scrolls inside its own region (reachable with Tab), not the page.
          <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Provider health">
            <table className="min-w-full text-sm">
              <thead>
                <tr className="text-left text-gray-600 dark:text-gray-400">
                  <th className="py-1">Provider</th>
                  <th>Refreshes, last hour</th>
                  <th>Refreshes, last 24 h</th>
                  <th>Backing off</th>
                  <th>Need reconnecting, 24 h</th>
                  <th>Client configuration</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.provider} className="align-top" data-testid={`provider-health-row-${row.provider}`}>
                    <td className="py-1 font-medium">{providerLabel(row.provider)}</td>
                    <WindowCell window={row.lastHour} testId="refresh-hour" />
                    <WindowCell window={row.lastDay} testId="refresh-day" />
                    <td data-testid="backing-off">
                      {row.backingOff.connections ? `${row.backingOff.connections} until ${time(row.backingOff.until!)}` : "none"}
                    </td>
                    <td data-testid="dead-grants">{row.deadGrantsLastDay}</td>
                    <td data-testid="client-error">{row.clientError ? `${row.clientError.message ?? "rejected"} (${time(row.clientError.at)})` : "ok"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </CardContent>
    </Card>
  );
}
