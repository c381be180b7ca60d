"use client";

import Link from "next/link";
import { useState, type FormEvent } from "react";
import { WebhookDeliveriesTable, type WebhookDeliveryRow } from "./webhook-deliveries-table";
import { DeleteWebhookDialog, readWebhookForm, WebhookEndpointFields, webhookFormFields } from "./webhook-endpoint-fields";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FocusOnMount } from "@/components/ui/focus-on-mount";
import { SecretShownOnce } from "@/components/ui/secret-shown-once";
import { EmptyState } from "@/components/ui/empty-state";
import { useJsonApi, type FormFields } from "@/components/ui/use-json-api";

const WEBHOOK_FIELDS = webhookFormFields("webhook");

export type { WebhookAttemptRow, WebhookDeliveryRow } from "./webhook-deliveries-table";
export type WebhookRow = {
  id: string;
  url: string;
  description: string | null;
  events: string[];
  status: "ACTIVE" | "DISABLED";
  disabledReason: string | null;
  secretHint: string;
  failingSince: string | null;
  deliveries: WebhookDeliveryRow[];
};

/**
 * Webhook endpoints through the admin API (same-origin session): create shows the signing secret once,
 * in this component's state only; delete asks first; Redeliver queues one more attempt.
 */
export function WebhooksPanel({ webhooks, events }: { webhooks: WebhookRow[]; events: string[] }) {
  const { call: request, error, formErrors, fieldProps, pending, lastError } = useJsonApi();
  const [info, setInfo] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const call = (path: string, method: string, body?: unknown, options?: { fields?: FormFields }) => {
    setInfo(null);
    return request(path, method, body, options);
  };

  async function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const created = await call("/api/admin/webhooks", "POST", readWebhookForm(form), { fields: WEBHOOK_FIELDS });
    if (created) {
      setSecret(String(created.secret));
      formElement.reset();
    }
  }

  return (
    <div className="space-y-6">
      {error ? <Alert tone="error">{error}</Alert> : null}
      {info ? (
        <FocusOnMount key={info}>
          <Alert tone="success">{info}</Alert>
        </FocusOnMount>
      ) : null}
      {secret ? (
        <SecretShownOnce
          testId="new-webhook-secret"
          heading="Webhook endpoint created."
          warning="Copy the signing secret now: it will not be shown again. Your receiver verifies the Tessera-Signature header with it."
          value={secret}
          onDone={() => setSecret(null)}
        />
      ) : null}

      {webhooks.length === 0 ? (
        <EmptyState title="No webhook endpoints yet" description="Add one below to be told when connections need reconnecting, tokens expire or get revoked." />
      ) : (
        webhooks.map((webhook) => (
          <section key={webhook.id} className="space-y-3 rounded-lg border border-gray-200 dark:border-gray-800 p-4" data-testid="webhook-row">
            <div className="flex flex-wrap items-start justify-between gap-2">
              <div className="space-y-1">
                <Link
                  href={`/admin/webhooks/${webhook.id}`}
                  className="block font-mono text-sm break-all text-indigo-700 dark:text-indigo-300 underline-offset-2 hover:underline"
                >
                  {webhook.url}
                </Link>
                {webhook.description ? <p className="text-sm text-gray-700 dark:text-gray-300">{webhook.description}</p> : null}
                <p className="text-xs text-gray-600 dark:text-gray-400">
                  {webhook.events.join(", ")} · secret …{webhook.secretHint}
                </p>
                {webhook.failingSince ? <p className="text-xs text-amber-800 dark:text-amber-200">failing since {webhook.failingSince}</p> : null}
                {webhook.disabledReason ? <p className="text-xs text-red-800 dark:text-red-200">{webhook.disabledReason}</p> : null}
              </div>
              <div className="flex items-center gap-2">
                <Badge tone={webhook.status === "ACTIVE" ? "green" : "red"}>{webhook.status.toLowerCase()}</Badge>
                {webhook.status === "DISABLED" ? (
                  <Button
                    size="sm"
                    variant="secondary"
                    disabled={pending}
                    onClick={() => void call(`/api/admin/webhooks/${webhook.id}`, "PATCH", { status: "active" })}
                  >
                    Enable
                  </Button>
                ) : null}
                <DeleteWebhookDialog
                  url={webhook.url}
                  onConfirm={async () => {
                    if (!(await call(`/api/admin/webhooks/${webhook.id}`, "DELETE"))) return lastError();
                    setInfo("Webhook endpoint deleted.");
                  }}
                />
              </div>
            </div>
            <WebhookDeliveriesTable webhookId={webhook.id} url={webhook.url} deliveries={webhook.deliveries} />
          </section>
        ))
      )}

      <form onSubmit={onCreate} className="space-y-4" aria-label="Add a webhook endpoint">
        <h2 className="text-lg font-semibold">New endpoint</h2>
        <WebhookEndpointFields prefix="webhook" events={events} formErrors={formErrors} fieldProps={fieldProps} />
        {formErrors.form ? <Alert tone="error">{formErrors.form}</Alert> : null}
        <Button type="submit" disabled={pending}>
          {pending ? "Working…" : "Add endpoint"}
        </Button>
      </form>
    </div>
  );
}
