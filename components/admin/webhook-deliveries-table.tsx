"use client";

import Link from "next/link";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FocusOnMount } from "@/components/ui/focus-on-mount";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { useJsonApi } from "@/components/ui/use-json-api";

export type WebhookAttemptRow = { attempt: number; statusCode: number | null; durationMs: number; problem: string | null; at: string };
export type WebhookDeliveryRow = {
  id: string;
  eventType: string;
  eventId: string;
  status: string;
  created: string;
  nextAttempt: string | null;
  attempts: WebhookAttemptRow[];
};

/**
 * An endpoint's deliveries: the last attempt's HTTP status (only ever a status), why it failed in words in a column
 * of its own (issue 25: "bad port" sat in the status column), a link to the delivery's detail, and Redeliver.
 */
export function WebhookDeliveriesTable({ webhookId, url, deliveries }: { webhookId: string; url: string; deliveries: WebhookDeliveryRow[] }) {
  const { call, error, pending } = useJsonApi();
  const [info, setInfo] = useState<string | null>(null);
  if (deliveries.length === 0) return <p className="text-sm text-gray-600 dark:text-gray-400">No deliveries yet.</p>;
  return (
    <div className="space-y-2">
      {error ? <Alert tone="error">{error}</Alert> : null}
      {info ? (
        <FocusOnMount key={info}>
          <Alert tone="success">{info}</Alert>
        </FocusOnMount>
      ) : null}
      <Table label={`Deliveries to ${url}`}>
        <THead>
          <TR>
            <TH>Event</TH>
            <TH>HTTP status</TH>
            <TH>Problem</TH>
            <TH>State</TH>
            <TH>
              <span className="sr-only">Actions</span>
            </TH>
          </TR>
        </THead>
        <TBody>
          {deliveries.map((delivery) => {
            const last = delivery.attempts.at(-1);
            return (
              <TR key={delivery.id} data-testid="webhook-delivery">
                <TD className="[overflow-wrap:anywhere]">
                  <Link
                    href={`/admin/webhooks/${webhookId}/deliveries/${delivery.id}`}
                    className="font-medium text-indigo-700 dark:text-indigo-300 underline-offset-2 hover:underline"
                  >
                    {delivery.eventType}
                  </Link>
                  <span className="block text-xs text-gray-600 dark:text-gray-400">{delivery.created}</span>
                </TD>
                <TD label="HTTP status" className="text-xs" data-testid="delivery-status-code">
                  {last?.statusCode ?? "—"}
                  {last ? <span className="block text-gray-600 dark:text-gray-400">{`attempt ${last.attempt} · ${last.durationMs} ms`}</span> : null}
                </TD>
                <TD label="Problem" className="text-xs [overflow-wrap:anywhere]" data-testid="delivery-problem">
                  {last ? (last.problem ?? "—") : "Not sent yet"}
                </TD>
                <TD label="State" className="text-xs">
                  <Badge tone={delivery.status === "SUCCEEDED" ? "green" : delivery.status === "FAILED" ? "red" : "amber"}>
                    {delivery.status.toLowerCase()}
                  </Badge>
                  {delivery.nextAttempt ? <span className="block text-gray-600 dark:text-gray-400">next try {delivery.nextAttempt}</span> : null}
                </TD>
                <TD>
                  <Button
                    size="sm"
                    variant="secondary"
                    disabled={pending}
                    onClick={() => {
                      setInfo(null);
                      void call(`/api/admin/webhooks/${webhookId}/deliveries/${delivery.id}/redeliver`, "POST").then(
                        (ok) => ok && setInfo(`Redelivery of ${delivery.eventType} queued.`),
                      );
                    }}
                  >
                    Redeliver
                  </Button>
                </TD>
              </TR>
            );
          })}
        </TBody>
      </Table>
    </div>
  );
}
